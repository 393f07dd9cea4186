using System.Text.Json;
using System.Text.Json.Nodes;
using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests.Reference;

/// <summary>
/// Runs a whole list of <see cref="RefCase"/>s through one Python process (importing torch costs seconds,
/// so cases are batched), then compares each case's outputs and gradients on demand.
/// </summary>
public sealed class ReferenceBatch : IDisposable
{
    private readonly TempDir dir = new("kit-torch-ref");
    private readonly Dictionary<string, RefCase> cases;
    private readonly JsonObject results;

    public ReferenceBatch(IEnumerable<RefCase> all)
    {
        cases = all.ToDictionary(c => c.Name);
        var manifest = new JsonArray();
        foreach (var c in cases.Values)
        {
            var inputs = new JsonObject();
            foreach (var (k, t) in c.Inputs)
            {
                var file = $"{c.Name}__in_{k}.bin";
                File.WriteAllBytes(dir[file], TensorFiles.ToRaw(t).Data.ToArray());
                inputs[k] = new JsonObject
                {
                    ["file"] = file, ["dtype"] = t.dtype.ToString(), ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)s).ToArray()),
                    ["requires_grad"] = t.requires_grad,
                };
            }
            manifest.Add(new JsonObject { ["name"] = c.Name, ["code"] = c.Python, ["inputs"] = inputs });
        }
        File.WriteAllText(dir["manifest.json"], new JsonObject { ["cases"] = manifest }.ToJsonString());
        var script = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "reference_runner.py"));
        ReferencePython.Run(script, dir.Path);
        results = JsonNode.Parse(File.ReadAllText(dir["results.json"]))!.AsObject();
    }

    public static IEnumerable<object[]> Names(IEnumerable<RefCase> all) => all.Select(c => new object[] { c.Name });

    /// <summary>Runs the kit's side of a case and asserts its outputs and gradients match PyTorch's.</summary>
    public void Check(string name)
    {
        var c = cases[name];
        var r = results[name]?.AsObject() ?? throw new InvalidOperationException($"no reference result for {name}");
        if (r["error"] is { } err) Assert.Fail($"{name}: the PyTorch side failed:\n{err}");

        using var scope = NewDisposeScope();
        var extra = new Dictionary<string, Tensor>();
        var outs = c.Kit(c.Inputs, extra);
        var expected = r["outputs"]!.AsArray();
        Assert.True(expected.Count == outs.Length, $"{name}: {outs.Length} outputs, PyTorch gave {expected.Count}");

        Tensor? loss = null;
        for (int i = 0; i < outs.Length; i++)
        {
            var o = outs[i].dtype == ScalarType.ComplexFloat32 || outs[i].dtype == ScalarType.ComplexFloat64 ? outs[i].view_as_real() : outs[i];
            Compare($"{name} output {i}", o, expected[i]!, c);
            if (o.requires_grad)
            {
                var w = (arange(0, o.numel(), 1, ScalarType.Float64) * 0.37 + 1).sin().reshape(o.shape);
                var term = (o.to(ScalarType.Float64) * w).sum();
                loss = loss is null ? term : loss + term;
            }
        }
        loss?.backward();

        var grads = r["grads"]!.AsObject();
        var mine = c.Inputs.Where(e => e.Value.requires_grad).ToDictionary(e => e.Key, e => e.Value);
        foreach (var (k, v) in extra) mine[k] = v;
        foreach (var (k, spec) in grads)
        {
            Assert.True(mine.TryGetValue(k, out var t), $"{name}: PyTorch has a gradient for {k}, the kit's case does not name it");
            var g = t!.grad;
            Assert.True(g is not null, $"{name}: no gradient for {k}");
            Compare($"{name} grad of {k}", g!, spec!, c);
        }
        foreach (var (k, t) in mine)
            if (!grads.ContainsKey(k)) Assert.True(t.grad is null, $"{name}: the kit has a gradient for {k}, PyTorch none");
    }

    private void Compare(string what, Tensor actual, JsonNode spec, RefCase c)
    {
        var shape = spec["shape"]!.AsArray().Select(n => n!.GetValue<long>()).ToArray();
        Assert.True(shape.SequenceEqual(actual.shape), $"{what}: shape [{string.Join(", ", actual.shape)}], PyTorch [{string.Join(", ", shape)}]");
        var bytes = File.ReadAllBytes(dir[spec["file"]!.GetValue<string>()]);
        using var exp = TensorFiles.FromRaw(new Kit.Torch.Formats.RawTensor(Kit.Torch.Formats.DType.Float64, shape, bytes)).DetachFromDisposeScope();
        using var act = actual.detach().to(ScalarType.Float64).DetachFromDisposeScope();
        if (!allclose(act, exp, c.Rtol, c.Atol))
        {
            using var diff = (act - exp).abs().max().DetachFromDisposeScope();
            Assert.Fail($"{what}: differs from PyTorch, max |diff| {diff.item<double>():G4} (rtol {c.Rtol}, atol {c.Atol})");
        }
    }

    public void Dispose() => dir.Dispose();
}
