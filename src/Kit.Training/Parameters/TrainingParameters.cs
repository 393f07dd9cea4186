namespace Kit.Training.Parameters;

/// <summary>
/// The values a training run takes. Names follow the Colab guide (TrainBS, ValBS, ...) so a user of the
/// original toolchain recognises them; the kit's extras follow. Units are optimizer steps throughout,
/// one step being one full batch of <see cref="TrainBS"/> clips (as in DLAS).
/// </summary>
public sealed record TrainingParameters
{
    public required int TrainBS { get; init; }
    public required int ValBS { get; init; }
    public required int ValFreq { get; init; }
    /// <summary>Four ascending steps at which the learning rate decays (DLAS's <c>gen_lr_steps</c>), or none.</summary>
    public required IReadOnlyList<int> LRDecaySteps { get; init; }
    public required int PrintFreq { get; init; }
    public required int SaveCheckpointFreq { get; init; }
    public required double TrainingRate { get; init; }
    /// <summary>The run's precision (the Colab form's and DLAS's name; see <see cref="Recipes.TrainingPrecision"/>): false, true, bf16 or fp16.</summary>
    public required Recipes.TrainingPrecision Fp16 { get; init; }
    public required string ExperimentName { get; init; }
    /// <summary>Linear learning-rate warmup; 0 means none (DLAS's <c>warmup_iter: -1</c>).</summary>
    public required int WarmupSteps { get; init; }
    /// <summary>Gradient accumulation: each batch runs as this many micro-batches (DLAS's <c>mega_batch_factor</c>).</summary>
    public required int MegaBatchFactor { get; init; }
    public required int Seed { get; init; }
    /// <summary>Steps the run lasts (DLAS's <c>niter</c>).</summary>
    public required int TotalSteps { get; init; }

    public bool Equals(TrainingParameters? other) =>
        other is not null && TrainBS == other.TrainBS && ValBS == other.ValBS && ValFreq == other.ValFreq
        && LRDecaySteps.SequenceEqual(other.LRDecaySteps) && PrintFreq == other.PrintFreq
        && SaveCheckpointFreq == other.SaveCheckpointFreq && TrainingRate.Equals(other.TrainingRate)
        && Fp16 == other.Fp16 && ExperimentName == other.ExperimentName && WarmupSteps == other.WarmupSteps
        && MegaBatchFactor == other.MegaBatchFactor && Seed == other.Seed && TotalSteps == other.TotalSteps;

    public override int GetHashCode() => HashCode.Combine(TrainBS, ValBS, ValFreq, PrintFreq, TrainingRate, ExperimentName, TotalSteps);
}
