using Kit.Models.Features;

namespace Kit.Models.Signal;

/// <summary>Everything needed to rebuild a signal model from its weights: sizes and the mel settings it is conditioned on.</summary>
public sealed record SignalModelConfig
{
    public required SignalModelSize Size { get; init; }
    public required MelSettings Mel { get; init; }
    /// <summary>The spectrogram checkpoint whose teacher-forced frames it trained on, or null for ground-truth mels (for the record only).</summary>
    public string? SpectrogramCheckpoint { get; init; }
}
