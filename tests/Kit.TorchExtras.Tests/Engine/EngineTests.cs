using Kit.TorchExtras;

namespace Kit.TorchExtras.Tests.Engine;

/// <summary>The engine settings the kit applies: oneDNN as its check on this CPU decides, and float32 convolution gradients as float64 computes them.</summary>
public sealed class EngineTests
{
    [Fact]
    public void OneDnn_is_on_exactly_where_its_check_passes_and_conv1d_input_gradients_match_float64()
    {
        TorchEngine.EnsureConfigured();
        var setting = TorchEngine.mkldnn_enabled();
        // The verdict measured afresh here, not read from the cache the kit used: a stale or wrong cache fails too.
        var (grad, bf16) = OneDnnConvCheck.WorstErrors(oneDnn: true);
        var passes = new OneDnnVerdict(OneDnnCheckKey.Current(), OneDnnConvCheck.Version, grad, bf16, DateTimeOffset.UtcNow).Passed;
        var expected = Environment.GetEnvironmentVariable(OneDnnChoice.Variable) switch { "1" => true, "0" => false, _ => passes };
        Assert.True(expected == setting, $"oneDNN is {(setting ? "on" : "off")} but its check here gives float32 input gradient {grad}, bfloat16 output {bf16} ({TorchEngine.OneDnnLine})");
        Assert.StartsWith($"tensor engine: oneDNN {(setting ? "on" : "off")}: ", TorchEngine.OneDnnLine);

        // Relative to the largest float64 gradient (7.5 to 106 over the shapes), so under 1e-4 absolute on the
        // small-channel shapes; libtorch's own kernels come to about 3e-7 here, oneDNN's to 1 or NaN where it is wrong.
        var (inputGradient, _) = OneDnnConvCheck.WorstErrors(oneDnn: setting);
        Assert.True(inputGradient < 5e-6, $"conv1d float32 input gradient off by {inputGradient} (relative) with the kit's engine settings");
        Assert.Equal(setting, TorchEngine.mkldnn_enabled());
    }
}
