namespace Kit.Training.Loop;

public enum TrainingState { Starting, Training, Validating, Saving, Stopping, Finished, Failed }

/// <summary>A snapshot of a run for displays: safe to read from any thread.</summary>
public sealed record TrainingStatus
{
    public TrainingState State { get; init; }
    public long Step { get; init; }
    public int Epoch { get; init; }
    public double StepsPerSecond { get; init; }
    public double SamplesPerSecond { get; init; }
    public double LearningRate { get; init; }
    public IReadOnlyDictionary<string, double> LastTrainLosses { get; init; } = new Dictionary<string, double>();
    public IReadOnlyDictionary<string, double> LastValidationLosses { get; init; } = new Dictionary<string, double>();
    /// <summary>The last validation's free-running measures (names without the dev_free/ prefix); empty for a recipe without them.</summary>
    public IReadOnlyDictionary<string, double> LastFreeRunning { get; init; } = new Dictionary<string, double>();
    public long? LastCheckpointStep { get; init; }
    public DateTime? LastCheckpointUtc { get; init; }
    public long SkippedNonFiniteSteps { get; init; }
    public string? StopReason { get; init; }
    public string? Error { get; init; }
}

/// <summary>How a run ended.</summary>
public sealed record TrainingResult(long Step, int Epoch, string StopReason, long? LastCheckpointStep, string RunDirectory)
{
    /// <summary>Where this session's time went (the benchmark's figures).</summary>
    public TrainingTimings Timings { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>Why the last steps are in no checkpoint (the final save failed: a full disk); null when the stop step was saved.</summary>
    public string? SaveError { get; init; }

    /// <summary>Steps trained that no checkpoint holds: 0 unless the final save failed. A caller must not report success when it is not 0.</summary>
    public long UnsavedSteps => Step - (LastCheckpointStep ?? 0);

    public override string ToString() =>
        $"Stopped at step {Step} (epoch {Epoch}): {StopReason}. " +
        (UnsavedSteps > 0
            ? $"{UnsavedSteps} steps are in no checkpoint ({SaveError}); " +
              (LastCheckpointStep is { } kept ? $"the newest checkpoint is step {kept} in {RunDirectory}." : "no checkpoint was saved.")
            : $"Checkpoint step {LastCheckpointStep} saved in {RunDirectory}.");
}

/// <summary>
/// Seconds of this session: <see cref="StepSeconds"/> is the training steps' wall time, of which
/// <see cref="ModelSeconds"/> ran inside the recipe (forward, backward, update); the rest is the trainer's own
/// overhead (data order, metrics, bookkeeping). Validation and checkpoint saves are counted apart.
/// </summary>
public sealed record TrainingTimings(long Steps, double StepSeconds, double ModelSeconds, double ValidationSeconds, double SaveSeconds)
{
    public double OverheadShare => StepSeconds > 0 ? (StepSeconds - ModelSeconds) / StepSeconds : 0;
}
