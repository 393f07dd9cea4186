using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>Where models train and speak: the GPU when libtorch finds one, else the CPU.</summary>
public static class ComputeDevice
{
    public static Device Best => cuda.is_available() ? CUDA : CPU;

    /// <summary>How every recipe's Create begins: torch seeded with the run's seed, then the best device.</summary>
    public static Device SeedAndPick(long seed)
    {
        manual_seed(seed);
        return Best;
    }
}
