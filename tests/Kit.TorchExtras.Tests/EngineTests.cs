using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>The engine settings the kit applies: float32 convolution gradients as float64 computes them.</summary>
public sealed class EngineTests
{
    [Fact]
    public void Conv1d_input_gradients_in_float32_match_float64()
    {
        TorchEngine.EnsureConfigured();
        Assert.False(TorchEngine.mkldnn_enabled());
        manual_seed(3);
        // Shapes where libtorch 2.10's oneDNN kernels gave gradients off by ~4 (of ~10) on the build machine.
        foreach (var (channelsIn, channelsOut, length, kernel) in new[] { (1L, 1L, 44L, 9L), (1L, 1L, 132L, 7L), (6L, 4L, 11L, 5L) })
        {
            using var scope = NewDisposeScope();
            var x = randn(20, channelsIn, length, float64).requires_grad_();
            var x32 = x.detach().to(float32).requires_grad_();
            var w = randn(channelsOut, channelsIn, kernel, float64);
            var g = randn(20, channelsOut, length, float64);
            (nn.functional.conv1d(x, w, null, padding: kernel / 2) * g).sum().backward();
            (nn.functional.conv1d(x32, w.to(float32), null, padding: kernel / 2) * g.to(float32)).sum().backward();
            var err = (x32.grad!.to(float64) - x.grad!).abs().max().item<double>();
            Assert.True(err < 1e-4, $"conv1d {channelsIn}->{channelsOut} k{kernel}: float32 input gradient off by {err}");
        }
    }
}
