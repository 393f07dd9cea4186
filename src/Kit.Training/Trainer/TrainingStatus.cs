namespace Kit.Training.Trainer;

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
    public long? LastCheckpointStep { get; init; }
    public DateTime? LastCheckpointUtc { get; init; }
    public long SkippedNonFiniteSteps { get; init; }
    public string? StopReason { get; init; }
    public string? Error { get; init; }
}

/// <summary>How a run ended.</summary>
public sealed record TrainingResult(long Step, int Epoch, string StopReason, long? LastCheckpointStep, string RunDirectory)
{
    public override string ToString() =>
        $"Stopped at step {Step} (epoch {Epoch}): {StopReason}. " +
        (LastCheckpointStep is { } s ? $"Checkpoint step {s} saved in {RunDirectory}." : "No checkpoint saved.");
}
