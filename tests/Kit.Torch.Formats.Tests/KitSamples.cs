using System.Numerics;

namespace Kit.Torch.Formats.Tests;

/// <summary>Tensors and checkpoints the kit writes for Python to read; values follow simple formulas.</summary>
internal static class KitSamples
{
    public static float[] Wave(int n, float scale = 1f) => Enumerable.Range(0, n).Select(i => MathF.Sin(i * 0.7f + 0.3f) * scale).ToArray();

    public static StateDict StateDict()
    {
        var shared = RawTensor.Create(Wave(6), 2, 3);
        var sd = new StateDict
        {
            { "arange", RawTensor.Create(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 3, 4) },
            { "f16", RawTensor.Create(Wave(5).Select(x => (Half)x).ToArray(), 5) },
            { "bf16", RawTensor.Create<ushort>(Wave(4).Select(x => (ushort)(BitConverter.SingleToUInt32Bits(x) >> 16)).ToArray(), [2, 2], DType.BFloat16) },
            { "f64", RawTensor.Create(new[] { Math.PI, -Math.E, 1e-300 }, 3) },
            { "i64", RawTensor.Create(new[] { long.MinValue, -1L, 0L, long.MaxValue }, 4) },
            { "i32", RawTensor.Create(new[] { int.MinValue, 5 }, 2) },
            { "i16", RawTensor.Create(new short[] { -7, 7 }, 2) },
            { "i8", RawTensor.Create(new sbyte[] { -128, 127, 0 }, 3) },
            { "u8", RawTensor.Create(new byte[] { 0, 200, 255 }, 3) },
            { "bool", RawTensor.Create(new[] { true, false, false, true }, 2, 2) },
            { "scalar", RawTensor.Create(new[] { 2.5f }, []) },
            { "empty", RawTensor.Create(Array.Empty<float>(), 0, 3) },
            { "tied_a", shared },
            { "tied_b", shared with { } },   // another tensor over the same bytes: one storage in the file
            { "param", RawTensor.Create(Wave(3, 0.1f), 3) with { IsParameter = true, RequiresGrad = true } },
            { "grad_leaf", RawTensor.Create(Wave(2), 2) with { RequiresGrad = true } },
        };
        return sd;
    }

    public static StateDict Linear() => new()
    {
        { "weight", RawTensor.Create(Wave(12, 0.5f), 3, 4) },
        { "bias", RawTensor.Create(new[] { 0.25f, -1f, 2f }, 3) },
    };

    public static PyDict Checkpoint()
    {
        var optimizerState = new PyDict { [0L] = new PyDict { ["step"] = RawTensor.Create(new[] { 10f }, []), ["exp_avg"] = RawTensor.Create(Wave(3), 3) } };
        var groups = new PyList { new PyDict { ["lr"] = 1e-3, ["betas"] = new PyTuple(0.9, 0.999), ["weight_decay"] = 0.0, ["amsgrad"] = false, ["params"] = new PyList { 0L, 1L } } };
        return new PyDict
        {
            ["model"] = PyDict.FromStateDict(Linear()),
            ["optimizer"] = new PyDict { ["state"] = optimizerState, ["param_groups"] = groups },
            ["scheduler"] = new PyDict { ["milestones"] = new PyDict(PyDictKind.Counter) { [100L] = 1L, [200L] = 1L }, ["gamma"] = 0.5, ["last_epoch"] = 1200L },
            ["device"] = new TorchDevice("cuda", 1),
            ["cpu"] = new TorchDevice("cpu"),
            ["dtype"] = DType.Float16,
            ["step"] = 1200L,
            ["big"] = BigInteger.Pow(2, 80),
            ["negative"] = -70000L,
            ["name"] = "kit ✓ voice",
            ["none"] = null,
            ["flags"] = new PyTuple(true, false),
            ["blob"] = new byte[] { 0, 1, 255, 128 },
            ["many"] = new PyList(Enumerable.Range(0, 1234).Select(i => (object?)(long)i)),
            ["nested"] = new PyList { new PyList { 1.5, new PyTuple() }, new PyDict(), new PyTuple(1L, 2L, 3L, 4L) },
        };
    }
}
