using Kit.Torch.Tests.Reference;
using static Kit.Torch.torch;

namespace Kit.Torch.Tests;

/// <summary>
/// torch.autocast on the CPU against Python's <c>torch.autocast("cpu", dtype=torch.bfloat16)</c> on the same
/// inputs: the ops on autocast's lower-precision list give bfloat16, bit for bit Python's (same libtorch, same
/// kernels), those on its float32 list give float32, gradients reach the float32 leaves; and the scope's
/// enter/exit keeps libtorch's per-thread state as PyTorch's __enter__/__exit__ do.
/// </summary>
public sealed class AutocastTests
{
    private static readonly Lazy<List<RefCase>> cases = new(Build);
    private static readonly Lazy<ReferenceBatch> batch = new(() => new ReferenceBatch(cases.Value));

    public static IEnumerable<object[]> Names => ReferenceBatch.Names(cases.Value);

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_pytorch_autocast_cpu_bf16(string name) => batch.Value.Check(name);

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
                using (autocast(DeviceType.CPU, bfloat16)) outs = kit(i);
                return [.. outs, Dtypes(outs)];
            }).Tol(0, 0);

    private static List<RefCase> Build()
    {
        manual_seed(7);
        var lstm = nn.LSTM(4, 5, batch_first: true);
        var lstmWeights = lstm.named_parameters().ToDictionary(p => p.Item1, p => p.Item2.detach().clone());
        return
        [
            Case("linear", "outs = [F.linear(I['x'], I['w'], I['b'])]",
                i => [nn.functional.linear(i["x"], i["w"], i["b"])])
                .In("x", randn(4, 5), true).In("w", randn(3, 5), true).In("b", randn(3), true),
            Case("matmul", "outs = [I['a'] @ I['b']]", i => [i["a"].matmul(i["b"])])
                .In("a", randn(6, 8), true).In("b", randn(8, 5), true),
            Case("conv1d", "outs = [F.conv1d(I['x'], I['w'], I['b'], padding=1)]",
                i => [nn.functional.conv1d(i["x"], i["w"], i["b"], padding: 1)])
                .In("x", randn(2, 3, 10), true).In("w", randn(4, 3, 3), true).In("b", randn(4), true),
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
        using (autocast(DeviceType.CPU, bfloat16))
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
        Assert.False(is_autocast_enabled(DeviceType.CPU));
        var before = get_autocast_dtype(DeviceType.CPU);
        using (var outer = autocast(DeviceType.CPU, bfloat16))
        {
            Assert.True(outer.enabled);
            Assert.True(is_autocast_enabled(DeviceType.CPU));
            Assert.Equal(bfloat16, get_autocast_dtype(DeviceType.CPU));
            using (autocast(DeviceType.CPU, enabled: false))
            {
                Assert.False(is_autocast_enabled(DeviceType.CPU));
                using var _ = NewDisposeScope();
                Assert.Equal(float32, randn(2, 3).matmul(randn(3, 2)).dtype);
            }
            Assert.True(is_autocast_enabled(DeviceType.CPU));
            Assert.Equal(bfloat16, get_autocast_dtype(DeviceType.CPU));
        }
        Assert.False(is_autocast_enabled(DeviceType.CPU));
        Assert.Equal(before, get_autocast_dtype(DeviceType.CPU));
        Assert.False(is_autocast_enabled(DeviceType.CUDA));
    }

    [Fact]
    public void The_state_is_per_thread()
    {
        using (autocast(DeviceType.CPU, bfloat16))
        {
            var elsewhere = true;
            var t = new Thread(() => elsewhere = is_autocast_enabled(DeviceType.CPU));
            t.Start();
            t.Join();
            Assert.False(elsewhere);
            Assert.True(is_autocast_enabled(DeviceType.CPU));
        }
    }

    [Fact]
    public void Disposing_on_another_thread_is_refused()
    {
        var scope = autocast(DeviceType.CPU, bfloat16);
        Exception? error = null;
        var t = new Thread(() => error = Record.Exception(scope.Dispose));
        t.Start();
        t.Join();
        Assert.IsType<InvalidOperationException>(error);
        scope.Dispose();
        Assert.False(is_autocast_enabled(DeviceType.CPU));
    }

    [Fact]
    public void Cpu_float16_and_cuda_without_a_gpu_behave_as_pytorch()
    {
        Assert.Throws<ArgumentException>(() => autocast(DeviceType.CPU, float16));
        if (cuda.is_available()) return;
        Assert.False(cuda.is_bf16_supported());
        using var scope = autocast(DeviceType.CUDA, float16);
        Assert.False(scope.enabled); // PyTorch disables CUDA autocast where there is no CUDA
        Assert.False(is_autocast_enabled(DeviceType.CUDA));
    }
}
