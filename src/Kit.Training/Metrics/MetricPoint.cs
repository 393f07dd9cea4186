using System.Text.Json.Serialization;

namespace Kit.Training.Metrics;

/// <summary>One value at one step, e.g. ("train/loss", 120, 0.53) or ("dev_epoch/post_spectrogram_loss", 300, 0.41).</summary>
public sealed record MetricPoint(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("value")] double Value);

/// <summary>
/// How the kit names metrics, after the guides: train losses per step, validation losses per dev pass, and the
/// free-running measures of a dev pass (the model speaking on its own, see <see cref="FreeRunningMetrics"/>).
/// </summary>
public static class MetricNames
{
    public const string TrainPrefix = "train/";
    public const string ValidationPrefix = "dev_epoch/";
    public const string FreeRunningPrefix = "dev_free/";
    public const string TotalLoss = "loss";
    public const string LearningRate = "lr";

    public static string Train(string loss) => TrainPrefix + loss;
    public static string Validation(string loss) => ValidationPrefix + loss;
    public static string FreeRunning(string measure) => FreeRunningPrefix + measure;
}
