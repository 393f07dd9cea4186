using Kit.TorchExtras.Tests.Reference;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>
/// torch.autocast on the CPU against Python's <c>torch.autocast("cpu", dtype=torch.bfloat16)</c> on the same
/// inputs: the ops on autocast's lower-precision list give bfloat16, within one bfloat16 rounding step of Python's
/// kernels), those on its float32 list give float32, gradients reach the float32 leaves; and the scope's
/// enter/exit keeps libtorch's per-thread state as PyTorch's __enter__/__exit__ do.
/// </summary>
public sealed class AutocastTests : ReferenceTests<AutocastTests>, IReferenceCases
{
    // Each case's last output is the dtype codes (c10::ScalarType numbers) of its results, so a result that
    // came out float32 where Python's is bfloat16 fails even where the values happen to round alike.
    private const string PyDtypes = "DT = {torch.float32: 6, torch.float64: 7, torch.bfloat16: 15, torch.float16: 5}\n";

    private static Tensor Dtypes(params Tensor[] ts) => tensor(ts.Select(t => (double)(int)t.dtype).ToArray(), [ts.Length], float64);

    private static RefCase Case(string name, string python, Func<IReadOnlyDictionary<string, Tensor>, Tensor[]> kit) =>
        new RefCase(name, PyDtypes + "with torch.autocast('cpu', dtype=torch.bfloat16):\n" + string.Join("\n", python.Split('\n').Select(l => "    " + l))
                          + "\nout = outs + [torch.tensor([float(DT[t.dtype]) for t in outs], dtype=torch.float64)]",
            i =>
            {
                Tensor[] outs;
                using (amp.autocast(DeviceType.CPU, bfloat16)) outs = kit(i);
                return [.. outs, Dtypes(outs)];
            }).Tol(BFloat16Step, BFloat16Cancellation);

    // Bit for bit (Tol(0, 0)) while the kit and the reference shared libtorch 1.13. TorchSharp's libtorch 2.10
    // accumulates bfloat16 products in another order (its oneDNN kernels), so a result can round to the
    // neighbouring bfloat16 (a step is up to 2^-7 of the value: 8 significant bits), once in the forward and once
    // more in the backward: two steps relative. Where a sum of bfloat16 products cancels (small results, the
    // gradients), those steps are of the summands, not the result: 2^-4 absolute covers it at these inputs' scale
    // (values of order 1), measured 2^-6 at most. The dtype codes (the last output) still match exactly, so a
    // scope that did nothing (float32 results) fails.
    private const double BFloat16Step = 1.0 / 64;
    private const double BFloat16Cancellation = 1.0 / 16;

    public static List<RefCase> Build()
    {
        manual_seed(7);
        var lstm = nn.LSTM(4, 5, batchFirst: true);
        var lstmWeights = lstm.named_parameters().ToDictionary(p => p.Item1, p => p.Item2.detach().clone());
        return
        [
            Case("linear", "outs = [F.linear(I['x'], I['w'], I['b'])]",
                i => [nn.functional.linear(i["x"], i["w"], i["b"])])
                .In("x", randn(4, 5), true).In("w", randn(3, 5), true).In("b", randn(3), true),
            Case("matmul", "outs = [I['a'] @ I['b']]", i => [i["a"].matmul(i["b"])])
                .In("a", randn(6, 8), true).In("b", randn(8, 5), true),
            // mse_loss and cross_entropy are on CPU autocast's float32 list: a bfloat16 input comes out float32.
            Case("fp32_list_losses",
                "y = F.linear(I['x'], I['w'])\nouts = [y, F.mse_loss(y, I['t']), F.cross_entropy(y, I['c'])]",
                i =>
                {
                    var y = nn.functional.linear(i["x"], i["w"]);
                    return [y, nn.functional.mse_loss(y, i["t"]), nn.functional.cross_entropy(y, i["c"])];
                })
                .In("x", randn(5, 4), true).In("w", randn(3, 4), true).In("t", randn(5, 3)).In("c", tensor(new long[] { 0, 2, 1, 1, 0 })),
            // The tiny duration model's forward and loss: weights' gradients come back float32.
            Case("two_layer_mse",
                "h = torch.tanh(F.linear(I['x'], I['w1'], I['b1']))\nouts = [F.mse_loss(F.linear(h, I['w2'], I['b2']).squeeze(1), I['y'])]",
                i =>
                {
                    var h = nn.functional.linear(i["x"], i["w1"], i["b1"]).tanh();
                    return [nn.functional.mse_loss(nn.functional.linear(h, i["w2"], i["b2"]).squeeze(1), i["y"])];
                })
                .In("x", randn(8, 6)).In("w1", randn(16, 6), true).In("b1", randn(16), true)
                .In("w2", randn(1, 16), true).In("b2", randn(1), true).In("y", randn(8)),
            // A bfloat16 input into float32 LSTM weights: libtorch's autocast-aware kernel, not the kit's own
            // CPU training layers (native/recurrent.cpp), which assume one dtype.
            Case("lstm_after_linear",
                "m = torch.nn.LSTM(4, 5, batch_first=True)\n"
                + "m.load_state_dict({k: I[k] for k in ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']})\n"
                + "o, (h, c) = m(F.linear(I['x'], I['w']))\nouts = [o, h, c]",
                i => { var (o, h, c) = lstm.forward(nn.functional.linear(i["x"], i["w"])); return [o, h, c]; })
                .In("x", randn(2, 3, 4), true).In("w", randn(4, 4), true)
                .In("weight_ih_l0", lstmWeights["weight_ih_l0"]).In("weight_hh_l0", lstmWeights["weight_hh_l0"])
                .In("bias_ih_l0", lstmWeights["bias_ih_l0"]).In("bias_hh_l0", lstmWeights["bias_hh_l0"]),
        ];
    }

    [Fact]
    public void Lower_precision_ops_give_bf16_and_parameters_and_their_gradients_stay_fp32()
    {
        using var scope = NewDisposeScope();
        var w = randn(3, 4).requires_grad_(true);
        var x = randn(2, 4);
        Tensor y, loss;
        using (amp.autocast(DeviceType.CPU, bfloat16))
        {
            y = nn.functional.linear(x, w);
            loss = nn.functional.mse_loss(y, zeros(2, 3));
        }
        Assert.Equal(bfloat16, y.dtype);
        Assert.Equal(float32, loss.dtype);
        Assert.Equal(float32, nn.functional.linear(x, w).dtype); // off again after the scope
        loss.backward();
        Assert.Equal(float32, w.grad!.dtype);
        Assert.Equal(float32, w.dtype);
    }

    [Fact]
    public void Nesting_and_dispose_restore_the_previous_state()
    {
        Assert.False(amp.is_autocast_enabled(DeviceType.CPU));
        var before = amp.get_autocast_dtype(DeviceType.CPU);
        using (var outer = amp.autocast(DeviceType.CPU, bfloat16))
        {
            Assert.True(outer.enabled);
            Assert.True(amp.is_autocast_enabled(DeviceType.CPU));
            Assert.Equal(bfloat16, amp.get_autocast_dtype(DeviceType.CPU));
            using (amp.autocast(DeviceType.CPU, enabled: false))
            {
                Assert.False(amp.is_autocast_enabled(DeviceType.CPU));
                using var _ = NewDisposeScope();
                Assert.Equal(float32, randn(2, 3).matmul(randn(3, 2)).dtype);
            }
            Assert.True(amp.is_autocast_enabled(DeviceType.CPU));
            Assert.Equal(bfloat16, amp.get_autocast_dtype(DeviceType.CPU));
        }
        Assert.False(amp.is_autocast_enabled(DeviceType.CPU));
        Assert.Equal(before, amp.get_autocast_dtype(DeviceType.CPU));
        Assert.False(amp.is_autocast_enabled(DeviceType.CUDA));
    }

    [Fact]
    public void The_state_is_per_thread()
    {
        using (amp.autocast(DeviceType.CPU, bfloat16))
        {
            var elsewhere = true;
            var t = new Thread(() => elsewhere = amp.is_autocast_enabled(DeviceType.CPU));
            t.Start();
            t.Join();
            Assert.False(elsewhere);
            Assert.True(amp.is_autocast_enabled(DeviceType.CPU));
        }
    }

    [Fact]
    public void Disposing_on_another_thread_is_refused()
    {
        var scope = amp.autocast(DeviceType.CPU, bfloat16);
        Exception? error = null;
        var t = new Thread(() => error = Record.Exception(scope.Dispose));
        t.Start();
        t.Join();
        Assert.IsType<InvalidOperationException>(error);
        scope.Dispose();
        Assert.False(amp.is_autocast_enabled(DeviceType.CPU));
    }

    /// <summary>
    /// Its own case: with libtorch 2.10's oneDNN kernels on (KIT_TORCH_MKLDNN=1) this one was ~20% off on the
    /// build machine (AVX-512); the kit turns oneDNN off on the CPU (<see cref="TorchEngine"/>).
    /// </summary>
    [Fact]
    public void Conv1d_under_autocast_matches_pytorch()
    {
        TorchEngine.EnsureConfigured();
        var c = new RefCase("conv1d", PyDtypes + "with torch.autocast('cpu', dtype=torch.bfloat16):\n    outs = [F.conv1d(I['x'], I['w'], I['b'], padding=1)]"
                                      + "\nout = outs + [torch.tensor([float(DT[t.dtype]) for t in outs], dtype=torch.float64)]",
            i =>
            {
                Tensor[] outs;
                using (amp.autocast(DeviceType.CPU, bfloat16)) outs = [nn.functional.conv1d(i["x"], i["w"], i["b"], padding: 1)];
                return [.. outs, Dtypes(outs)];
            }).Tol(BFloat16Step, BFloat16Cancellation)
            .In("x", randn(2, 3, 10), true).In("w", randn(4, 3, 3), true).In("b", randn(4), true);
        using var one = new ReferenceBatch([c]);
        one.Check("conv1d");
    }

    [Fact]
    public void Cpu_float16_and_cuda_without_a_gpu_behave_as_pytorch()
    {
        // PyTorch 2's CPU autocast runs float16 too (1.13's refused it); float64 is refused.
        Assert.Throws<ArgumentException>(() => amp.autocast(DeviceType.CPU, float64));
        using (amp.autocast(DeviceType.CPU, float16))
        {
            using var _ = NewDisposeScope();
            Assert.Equal(float16, randn(2, 3).matmul(randn(3, 2)).dtype);
        }
        if (cuda.is_available()) return;
        Assert.False(amp.cuda_is_bf16_supported());
        using var scope = amp.autocast(DeviceType.CUDA, float16);
        Assert.False(scope.enabled); // PyTorch disables CUDA autocast where there is no CUDA
        Assert.False(amp.is_autocast_enabled(DeviceType.CUDA));
    }
}
