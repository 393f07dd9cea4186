namespace Kit.Training.Metrics;

/// <summary>
/// The measures a recipe reports from <c>ITrainable.FreeRunning</c> (each a mean over the validation lines it
/// speaks), logged as <c>dev_free/NAME</c>. Other tools parse these names: they do not change.
/// </summary>
public static class FreeRunningMetrics
{
    /// <summary>Mel-cepstral distortion with dynamic time warping against the real clip, dB (lower is better).</summary>
    public const string McdDb = "mcd_db";
    /// <summary>
    /// MCD-DTW weighted by the length mismatch, MCD × max(spoken/real, real/spoken) per line, dB (lower is better).
    /// Plain MCD-DTW rewards an untrained model's long, flat output: warped onto the real clip, a frame near the
    /// voice's average spectrum is closer to each real frame than speech of the wrong sounds is, so such output
    /// scored lower than diagonal, rightly timed speech on the project's 600-clip voice (2.6 dB at step 250
    /// against 4.7 at step 750). The weight makes the best checkpoint one that speaks the line in its time.
    /// </summary>
    public const string McdSlDb = "mcd_sl_db";
    /// <summary>Share of the attention within 0.2 of the diagonal (higher is better).</summary>
    public const string BandMass = "band_mass";
    /// <summary>Share of decoder steps whose most-attended token does not move backwards (higher is better).</summary>
    public const string Monotonic = "monotonic";
    /// <summary>Share of the line's tokens that no decoder step attends most (lower is better).</summary>
    public const string SkippedTokens = "skipped_tokens";
    /// <summary>The largest move of the most-attended token between two decoder steps, in tokens (lower is better).</summary>
    public const string MaxJump = "max_jump";
    /// <summary>Spoken frames over the real clip's frames (best at 1).</summary>
    public const string LengthRatio = "length_ratio";
    /// <summary>Share of lines whose stop token fired before the frame limit (higher is better).</summary>
    public const string StopFired = "stop_fired";

    public static IReadOnlyList<string> All { get; } = [McdDb, McdSlDb, BandMass, Monotonic, SkippedTokens, MaxJump, LengthRatio, StopFired];
}
