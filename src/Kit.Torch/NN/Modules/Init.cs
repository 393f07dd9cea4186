namespace Kit.Torch.Modules;

/// <summary>PyTorch's default initialisations, drawn from libtorch's generator (so manual_seed governs them).</summary>
internal static class Init
{
    /// <summary>A parameter of the shape drawn from U(-bound, bound).</summary>
    public static Parameter Uniform(long[] shape, double bound)
    {
        using var t = torch.empty(shape);
        using (torch.no_grad()) t.uniform_(-bound, bound);
        return new Parameter(t);
    }

    /// <summary>kaiming_uniform_(a=√5) as nn.Linear and nn.ConvNd use, which works out to U(±1/√fan_in).</summary>
    public static Parameter KaimingUniform(long[] shape, long fanIn) => Uniform(shape, fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0);

    public static Parameter Constant(long[] shape, double value)
    {
        using var t = torch.full(shape, value);
        return new Parameter(t);
    }

    public static Parameter Normal(long[] shape)
    {
        using var t = torch.randn(shape);
        return new Parameter(t);
    }

    public static Parameter XavierUniform(long[] shape)
    {
        long fanIn = shape[1], fanOut = shape[0];
        return Uniform(shape, Math.Sqrt(6.0 / (fanIn + fanOut)));
    }
}
