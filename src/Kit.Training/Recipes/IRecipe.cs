using Kit.Data.Datasets;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Recipes;

/// <summary>
/// A model the trainer can train: the spectrogram model, WaveRNN, TorToiSe's GPT. A recipe is found by its
/// <see cref="Name"/> (the run config's ModelRecipe) and makes, for one run, the <see cref="ITrainable"/>
/// the training loop drives: the model with its optimizer, batches built from dataset entries, named loss
/// terms, validation and optional samples. The loop owns everything else: data order, learning-rate
/// schedule, gradient accumulation, checkpoints, stopping, metrics.
/// </summary>
public interface IRecipe
{
    /// <summary>The name a run config uses, e.g. "tortoise-gpt".</summary>
    string Name { get; }

    /// <summary>
    /// What this recipe trains with unless told otherwise, each value with its source: `kit params --recipe`
    /// starts from them, and the trainer clips gradients and decays the rate by them.
    /// </summary>
    RecipeDefaults Defaults { get; }

    /// <summary>
    /// The validation metric best.json and early stopping follow unless run.yml's <c>best_metric</c> names
    /// another (see <see cref="Metrics.BestMetric"/>): the teacher-forced validation loss unless the recipe
    /// measures something closer to what a listener hears.
    /// </summary>
    string BestMetric => Metrics.MetricNames.Validation(Metrics.MetricNames.TotalLoss);

    /// <summary>Builds the model (weights from <see cref="RecipeContext.Seed"/>) and its optimizer for one run.</summary>
    ITrainable Create(RecipeContext context);
}

/// <summary>What a recipe is given to build a run.</summary>
public sealed record RecipeContext
{
    public required RunConfig Config { get; init; }
    public required IReadOnlyList<DatasetEntry> Train { get; init; }
    public required IReadOnlyList<DatasetEntry> Validation { get; init; }
    public required string RunDirectory { get; init; }
    public int Seed => Config.Parameters.Seed;
    /// <summary>The run config's precision setting, the parameter Fp16 (<see cref="Precisions.Resolve"/> turns it into one for this device).</summary>
    public TrainingPrecision Precision => Config.Parameters.Fp16;
    /// <summary>Lines for the person watching (the recipe's own notices).</summary>
    public Action<string> Log { get; init; } = _ => { };
}
