using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Loop;

/// <summary>
/// How a run trains. Most values come from the run config's parameters (<see cref="FromConfig"/>); the gradient
/// clipping and the decay factor from the recipe's defaults (<see cref="WithRecipeDefaults"/>, which the trainer
/// applies to whatever options it is given); the rest are the kit's own safety settings with defaults that suit
/// every recipe.
/// </summary>
public sealed record TrainerOptions
{
    public required int TrainBatchSize { get; init; }
    public required int ValidationBatchSize { get; init; }
    public required double LearningRate { get; init; }
    /// <summary>Steps at which the learning rate is multiplied by <see cref="DecayGamma"/> (MultiStepLR).</summary>
    public IReadOnlyList<int> DecaySteps { get; init; } = [];
    /// <summary>The decay factor; null: the recipe's (<see cref="RecipeDefaults.DecayGamma"/>).</summary>
    public double? DecayGamma { get; init; }
    public int WarmupSteps { get; init; }
    public required int ValidationFrequency { get; init; }
    public required int PrintFrequency { get; init; }
    public required int SaveFrequency { get; init; }
    /// <summary>Micro-batches per step (gradient accumulation): the batch is split and the gradients summed.</summary>
    public int AccumulationSteps { get; init; } = 1;
    /// <summary>The gradients' norm is clipped to this before each update; null: the recipe's (<see cref="RecipeDefaults.MaxGradNorm"/>).</summary>
    public double? MaxGradNorm { get; init; }
    public long Seed { get; init; }
    /// <summary>Stop at this step (null: run until stopped).</summary>
    public long? MaxSteps { get; init; }
    /// <summary>Stop after this many validations without a new best (null: never).</summary>
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Checkpoints kept besides the best one.</summary>
    public int KeepLastCheckpoints { get; init; } = 3;
    /// <summary>NaN/inf steps in a row before rolling back to the last checkpoint.</summary>
    public int MaxNonFiniteInARow { get; init; } = 5;
    public double RollbackLearningRateFactor { get; init; } = 0.5;
    public bool WriteTensorBoard { get; init; } = true;

    /// <summary>
    /// The config recorded in the run folder's run.yml when it is not the one trained with: `kit train` keeps
    /// an s3:// spectrogram checkpoint address there (a resume on a new VM fetches it again) while it trains from
    /// the downloaded copy. Null: the config trained with.
    /// </summary>
    public RunConfig? RecordedConfig { get; init; }

    /// <summary>
    /// The options a run config asks for: each parameter sets what its entry in <see cref="ParameterCatalog.All"/>
    /// says it sets (the one mapping from the Colab names to the trainer, which the DLAS writer reads too).
    /// </summary>
    public static TrainerOptions FromConfig(RunConfig config)
    {
        var options = new TrainerOptions
        {
            // Every one is set by the catalog below; Validate refuses a zero that slipped through.
            TrainBatchSize = 0, ValidationBatchSize = 0, LearningRate = 0, ValidationFrequency = 0, PrintFrequency = 0, SaveFrequency = 0,
            KeepLastCheckpoints = config.KeepLastCheckpoints,
        };
        foreach (var spec in ParameterCatalog.All)
            if (spec.Trainer is { } set) options = set(options, spec.Get(config.Parameters));
        return options;
    }

    /// <summary>These options with what they leave to the recipe (clipping, decay factor) taken from <paramref name="defaults"/>.</summary>
    public TrainerOptions WithRecipeDefaults(RecipeDefaults defaults) => this with
    {
        MaxGradNorm = MaxGradNorm ?? defaults.MaxGradNorm.Value,
        DecayGamma = DecayGamma ?? defaults.DecayGamma.Value,
    };

    /// <summary>The learning rate at <paramref name="step"/>: linear warmup, then MultiStepLR's decays. A pure function of the step, so resume needs no scheduler state.</summary>
    public double LearningRateAt(long step)
    {
        var gamma = DecayGamma ?? throw new InvalidOperationException("the decay factor is the recipe's: apply WithRecipeDefaults first");
        var lr = LearningRate * Math.Pow(gamma, DecaySteps.Count(s => step >= s));
        return WarmupSteps > 0 && step < WarmupSteps ? lr * (step + 1) / WarmupSteps : lr;
    }

    public void Validate()
    {
        void Positive(int v, string name) { if (v < 1) throw new ArgumentException($"{name} must be at least 1 (it is {v})"); }
        Positive(TrainBatchSize, "the train batch size (TrainBS)");
        Positive(ValidationBatchSize, "the validation batch size (ValBS)");
        Positive(ValidationFrequency, "ValFreq");
        Positive(PrintFrequency, "PrintFreq");
        Positive(SaveFrequency, "SaveCheckpointFreq");
        Positive(AccumulationSteps, "the gradient accumulation (mega_batch_factor)");
        Positive(KeepLastCheckpoints, "keep_last_checkpoints");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be a positive number (it is {LearningRate})");
    }
}
