using Kit.Training.Checkpoints;

namespace Kit.Training.Recipes;

/// <summary>
/// One run's model and optimizer, as the training loop sees them. The loop calls, per optimizer step:
/// <see cref="ForwardBackward"/> once per micro-batch (gradient accumulation), then either
/// <see cref="ApplyUpdate"/> or, when a loss was NaN/inf, <see cref="DiscardGradients"/>.
/// </summary>
public interface ITrainable : IDisposable
{
    /// <summary>Length of each training clip (seconds, or frames: any consistent unit), for length-bucketed batches.</summary>
    IReadOnlyList<double> TrainLengths { get; }

    /// <summary>
    /// Forward and backward over these training clips, adding to the gradients with the loss scaled by
    /// <paramref name="weight"/> (the micro-batch's share of the batch). Returns the unscaled named loss
    /// terms; "loss" is the total the gradients come from.
    /// </summary>
    IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight);

    /// <summary>
    /// Clips the gradients' norm to <paramref name="maxGradNorm"/> (when given), steps the optimizer at
    /// <paramref name="learningRate"/>, zeroes the gradients. Returns false, having made no update and zeroed
    /// the gradients as <see cref="DiscardGradients"/> does, when the gradients are not finite though the loss
    /// was: stepping would write NaN into every weight, and into the next checkpoint.
    /// </summary>
    bool ApplyUpdate(double learningRate, double? maxGradNorm);

    /// <summary>Zeroes the gradients without an update (the step's loss was not finite).</summary>
    void DiscardGradients();

    /// <summary>Averaged named losses over the validation clips ("loss" is the total); the model is left in training mode.</summary>
    IReadOnlyDictionary<string, double> Validate(int batchSize);

    /// <summary>Writes <see cref="CheckpointFiles.InferenceWeights"/> (what export needs) and <see cref="CheckpointFiles.TrainingState"/> (optimizer, RNG).</summary>
    void Save(CheckpointWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    void Load(LoadedCheckpoint checkpoint);

    /// <summary>About how many bytes <see cref="Save"/> writes, to check the disk before a save starts.</summary>
    long EstimatedCheckpointBytes { get; }

    /// <summary>The precision this run trains in (recipes on the tensor engine resolve it from the run config and device).</summary>
    ResolvedPrecision Precision => new(TrainingPrecision.Fp32, "this recipe trains in fp32");

    /// <summary>
    /// At validation, after <see cref="Validate"/>: how the model does on its own, without the real frames fed
    /// back (teacher forcing), measured against the real clips of at most <c>RunConfig.FreeRunningTexts</c>
    /// validation lines: <see cref="Metrics.FreeRunningMetrics"/>' names (the loop logs them as dev_free/NAME).
    /// Empty for a recipe that has no free-running path to measure.
    /// </summary>
    IReadOnlyDictionary<string, double> FreeRunning(int batchSize) => new Dictionary<string, double>();

    /// <summary>Optional audio or images at validation time, written under samples/ (names start with step-NNNNNNNNN).</summary>
    IReadOnlyList<TrainingSample> Samples(long step) => [];
}

/// <summary>A sample made at validation: a file's bytes and its name's tail, e.g. ("clip0.wav", bytes).</summary>
public sealed record TrainingSample(string Name, byte[] Content);
