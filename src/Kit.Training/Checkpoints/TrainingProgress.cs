using System.Text.Json.Serialization;
using Kit.Training.Batching;

namespace Kit.Training.Checkpoints;

/// <summary>
/// Everything besides tensors that a resumed run needs to continue exactly where it stopped; stored as
/// state.json in each checkpoint. Model, optimizer and scheduler tensors sit in their own files beside it.
/// </summary>
public sealed record TrainingProgress
{
    public const string FileName = "state.json";

    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("epoch")] public int Epoch { get; init; }
    /// <summary>Where the batch order stands: the next batch to train on.</summary>
    [JsonPropertyName("data_position")] public DataPosition DataPosition { get; init; } = new(0, 0);
    [JsonPropertyName("seed")] public long Seed { get; init; }
    /// <summary>The tensor engine's generator state (opaque bytes, base64), so dropout continues identically.</summary>
    [JsonPropertyName("torch_rng")] public string? TorchRngState { get; init; }
    /// <summary>1, lowered each time a run of non-finite losses forced a rollback.</summary>
    [JsonPropertyName("lr_scale")] public double LearningRateScale { get; init; } = 1;
    [JsonPropertyName("optimizer_steps")] public long OptimizerSteps { get; init; }
    [JsonPropertyName("skipped_nonfinite")] public long SkippedNonFiniteSteps { get; init; }
    [JsonPropertyName("rollbacks")] public int Rollbacks { get; init; }
    /// <summary>Early stopping's best value of <see cref="BestMetric"/> (the name keeps its first meaning: the validation loss).</summary>
    [JsonPropertyName("best_validation_loss")] public double? BestValidationLoss { get; init; }
    /// <summary>The metric early stopping followed (null in checkpoints from before it was named: dev_epoch/loss).</summary>
    [JsonPropertyName("best_metric")] public string? BestMetric { get; init; }
    [JsonPropertyName("best_validation_step")] public long? BestValidationStep { get; init; }
    [JsonPropertyName("validations_without_improvement")] public int ValidationsWithoutImprovement { get; init; }
    [JsonPropertyName("training_seconds")] public double TrainingSeconds { get; init; }
    /// <summary>The precision the run trained in: "fp32", "bf16" or "fp16" (null in checkpoints from before it was recorded).</summary>
    [JsonPropertyName("precision")] public string? Precision { get; init; }
    /// <summary>The run settings as they were (YAML text), so a checkpoint explains itself.</summary>
    [JsonPropertyName("settings")] public string? Settings { get; init; }
    /// <summary>Recent metric points (train averages and validations), enough to redraw the loss curves on resume.</summary>
    [JsonPropertyName("metrics")] public IReadOnlyList<Metrics.MetricPoint> Metrics { get; init; } = [];
}
