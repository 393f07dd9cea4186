using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>
/// The reproduction behind TorchEngine's oneDNN choice, runnable on any machine: small-channel conv1d (WaveRNN's
/// conditioning network has such layers) computed in float32 and bfloat16 beside float64. On the kit's build
/// machine (AMD EPYC, AVX-512) libtorch 2.10 with oneDNN gave input gradients off by their own size (NaN for one
/// shape) and bfloat16 outputs off by up to 96%; with ONEDNN_MAX_CPU_ISA=SSE41 or oneDNN off they agree to 1e-6.
/// TorchEngine runs it once per CPU and libtorch (OneDnnVerdicts caches what it found); `kit bench torch` prints it
/// with oneDNN on and off; EngineTests holds the kit's setting to its verdict.
/// </summary>
public static class OneDnnConvCheck
{
    /// <summary>Which check a cached verdict came from: raise it when the shapes or the measure change.</summary>
    public const int Version = 1;

    private static readonly (long ChannelsIn, long ChannelsOut, long Length, long Kernel)[] Shapes =
        [(1, 1, 44, 9), (1, 1, 132, 7), (6, 4, 11, 5), (80, 128, 100, 5)];

    /// <summary>Worst relative error (to the float64 result's largest magnitude) over the shapes, with oneDNN on or off; restores the setting.</summary>
    public static (double InputGradient, double Bf16Output) WorstErrors(bool oneDnn)
    {
        var before = TorchEngine.mkldnn_enabled();
        TorchEngine.set_mkldnn_enabled(oneDnn);
        try
        {
            using var generator = new Generator(3);
            double grad = 0, bf16 = 0;
            foreach (var (ci, co, length, kernel) in Shapes)
            {
                using var scope = NewDisposeScope();
                var x = randn(20, ci, length, float64, generator: generator).requires_grad_();
                var x32 = x.detach().to(float32).requires_grad_();
                var w = randn(co, ci, kernel, float64, generator: generator);
                var g = randn(20, co, length, float64, generator: generator);
                var y = nn.functional.conv1d(x, w, null, padding: kernel / 2);
                (y * g).sum().backward();
                (nn.functional.conv1d(x32, w.to(float32), null, padding: kernel / 2) * g.to(float32)).sum().backward();
                var yb = nn.functional.conv1d(x.detach().to(bfloat16), w.to(bfloat16), null, padding: kernel / 2).to(float64);
                grad = Math.Max(grad, Relative(x32.grad!.to(float64), x.grad!));
                bf16 = Math.Max(bf16, Relative(yb, y.detach()));
            }
            return (grad, bf16);
        }
        finally { TorchEngine.set_mkldnn_enabled(before); }
    }

    // NaN (oneDNN gave one for a shape here) must count as the worst error, not vanish in Math.Max.
    private static double Relative(Tensor actual, Tensor expected)
    {
        var err = ((actual - expected).abs().max() / expected.abs().max()).item<double>();
        return double.IsNaN(err) ? double.PositiveInfinity : err;
    }
}
