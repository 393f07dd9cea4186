using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>The initialisations TorToiSe and GPT-2 use (normal, std 0.02 for embeddings and GPT-2 weights).</summary>
internal static class Init
{
    public static Parameter Normal(long[] shape, double std)
    {
        using var t = randn(shape) * std;
        return new Parameter(t);
    }

    public static Parameter Constant(long[] shape, double value)
    {
        using var t = full(shape, value);
        return new Parameter(t);
    }

    /// <summary>zero_module(...) in TorToiSe: a layer that starts as a no-op on the residual path.</summary>
    public static void Zero(params Parameter?[] ps)
    {
        using var _ = no_grad();
        foreach (var p in ps) p?.zero_();
    }
}
