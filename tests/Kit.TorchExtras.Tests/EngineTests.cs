using Kit.TorchExtras;

namespace Kit.TorchExtras.Tests;

/// <summary>The engine settings the kit applies: float32 convolution gradients as float64 computes them.</summary>
public sealed class EngineTests
{
    [Fact]
    public void Conv1d_input_gradients_in_float32_match_float64()
    {
        TorchEngine.EnsureConfigured();
        Assert.False(TorchEngine.mkldnn_enabled());
        // Relative to the largest float64 gradient (7.5 to 106 over the shapes), so under 1e-4 absolute on the
        // small-channel shapes; libtorch's own kernels come to about 3e-7 here, oneDNN's to 1 or NaN.
        var (inputGradient, _) = OneDnnConvCheck.WorstErrors(oneDnn: false);
        Assert.True(inputGradient < 5e-6, $"conv1d float32 input gradient off by {inputGradient} (relative) with the kit's engine settings");
        Assert.False(TorchEngine.mkldnn_enabled());
    }
}
