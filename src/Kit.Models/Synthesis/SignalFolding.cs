namespace Kit.Models.Synthesis;

/// <summary>
/// How WaveRNN synthesis cuts each clip into folds generated side by side as one batch (Fatchord's
/// fold_with_overlap / xfade_and_unfold). A step costs about the same for one fold as for fifty, so the loop
/// runs for one fold's length however long the audio is: longer folds mean fewer joins and more steps.
/// </summary>
public sealed record SignalFolding
{
    /// <summary>
    /// Frames of audio each fold contributes; 0 turns folding off (each clip is one sequence). Fatchord's
    /// target of 11,000 samples at 22,050 Hz is 43 frames of hop 256.
    /// </summary>
    public int FoldFrames { get; init; } = 43;

    /// <summary>Frames where neighbouring folds overlap: the later fold's first half of it warms its state up, the second half cross-fades (Fatchord: 550 samples, about 2 frames).</summary>
    public int OverlapFrames { get; init; } = 2;

    public static SignalFolding Default { get; } = new();

    /// <summary>No folding: every sample of a clip in one sequence, as training sees them.</summary>
    public static SignalFolding Off { get; } = new() { FoldFrames = 0 };

    public bool Enabled => FoldFrames > 0;

    public void Validate()
    {
        if (FoldFrames < 0) throw new ArgumentException($"signal synthesis: FoldFrames must be 0 (off) or positive, not {FoldFrames}");
        if (Enabled && OverlapFrames < 1) throw new ArgumentException($"signal synthesis: OverlapFrames must be at least 1 when folding, not {OverlapFrames}");
    }
}
