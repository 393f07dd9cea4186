namespace Kit.Models.Signal;

/// <summary>
/// The WaveRNN signal model's sizes. <see cref="Full"/> is the published WellSaid size (one GRU of 896, for a
/// GPU, trained on 1,800-sample slices); <see cref="Tiny"/> trains on two CPU cores in about a minute.
/// </summary>
public sealed record SignalModelSize
{
    /// <summary>GRU units; the first half predicts the coarse byte, the second half the fine byte.</summary>
    public int HiddenSize { get; init; } = 896;
    /// <summary>Channels of the conditioning network's residual features (beside the upsampled mel itself).</summary>
    public int ConditioningChannels { get; init; } = 128;
    public int ResidualBlocks { get; init; } = 10;
    /// <summary>Mel frames per training slice (at hop 300: 1,800 samples, as WellSaid trained).</summary>
    public int SegmentFrames { get; init; } = 6;

    public int HalfSize => HiddenSize / 2;

    public static SignalModelSize Full { get; } = new();

    public static SignalModelSize Tiny { get; } = new() { HiddenSize = 128, ConditioningChannels = 32, ResidualBlocks = 2, SegmentFrames = 3 };

    public void Validate()
    {
        if (HiddenSize <= 0 || HiddenSize % 2 != 0) throw new ArgumentException($"the signal model's HiddenSize must be positive and even, not {HiddenSize}");
        if (ConditioningChannels <= 0 || ResidualBlocks < 0 || SegmentFrames <= 0) throw new ArgumentException($"signal model sizes must be positive: {this}");
    }
}
