using Kit.Training.Parameters;
using Kit.Training.Recipes;

namespace Kit.Training.Config;

/// <summary>
/// The kit's run config: the one file a run folder starts from. It names the dataset lists (and the carved
/// validation clips, when the kit made the split), the model recipe, every training parameter, which of
/// them the user set, and where the run writes. The seed is <see cref="TrainingParameters.Seed"/>.
/// </summary>
public sealed record RunConfig
{
    public const int CurrentVersion = 1;

    /// <summary>Until the model notebook picks one, runs name TorToiSe's GPT fine-tune.</summary>
    public const string DefaultModelRecipe = "tortoise-gpt";

    public int Version { get; init; } = CurrentVersion;
    public required string Profile { get; init; }
    public string ModelRecipe { get; init; } = DefaultModelRecipe;

    /// <summary>
    /// Absolute path of a spectrogram model checkpoint (weights, checkpoint folder or run folder), or an s3://
    /// checkpoint address `kit train` fetches, whose teacher-forced frames a signal model trains on instead of
    /// the clips' own; null for the clips' own.
    /// </summary>
    public string? SpectrogramModelCheckpoint { get; init; }

    /// <summary>
    /// run.yml's <c>model.phonemes</c>: the transcripts read as espeak-ng phonemes (true) or letters (false); null: the
    /// trainer settles it (<see cref="Loop.Trainer.TextChoice"/>: the recipe's own <see cref="RecipeDefaults.Phonemes"/>
    /// for a config made in code, letters for a run.yml from before the key). Only recipes that read text take it.
    /// </summary>
    public bool? Phonemes { get; init; }

    /// <summary>Absolute path of the list the training clips come from.</summary>
    public required string TrainList { get; init; }

    /// <summary>Absolute path of the validation list, or null when validation is carved from the training list.</summary>
    public string? ValList { get; init; }

    public required ValidationSource Validation { get; init; }

    /// <summary>Ids of the clips held out for validation when <see cref="Validation"/> is <see cref="ValidationSource.Carved"/>.</summary>
    public IReadOnlyList<string> CarvedValidation { get; init; } = [];

    public required int TrainClips { get; init; }
    public required int ValClips { get; init; }

    /// <summary>Absolute path of the folder the run writes checkpoints and logs to.</summary>
    public required string OutputFolder { get; init; }

    public required TrainingParameters Parameters { get; init; }

    /// <summary>Names of the parameters the user set.</summary>
    public IReadOnlyList<string> Overridden { get; init; } = [];

    /// <summary>Checkpoints kept besides the best one (run.yml's keep_last_checkpoints, `kit train --keep-last`).</summary>
    public int KeepLastCheckpoints { get; init; } = DefaultKeepLastCheckpoints;

    public const int DefaultKeepLastCheckpoints = 3;

    /// <summary>
    /// The validation metric best.json and early stopping follow (run.yml's best_metric, e.g. dev_free/mcd_db);
    /// null: the recipe's own (<see cref="IRecipe.BestMetric"/>).
    /// </summary>
    public string? BestMetric { get; init; }

    /// <summary>Validation lines the model speaks on its own at each validation (run.yml's free_running_texts).</summary>
    public int FreeRunningTexts { get; init; } = DefaultFreeRunningTexts;

    /// <summary>Enough lines to average over, few enough that a validation of spectrogram-tiny costs seconds on 2 cores.</summary>
    public const int DefaultFreeRunningTexts = 8;

    /// <summary>The file (and key lines) this config was read from, for errors found later; null when made in code.</summary>
    public RunConfigSource? Source { get; init; }

    public static RunConfig From(ParameterSet set, string outputFolder, string? modelRecipe = null) => new()
    {
        Profile = set.Profile,
        ModelRecipe = modelRecipe ?? DefaultModelRecipe,
        Phonemes = set.Recipe.Phonemes?.Value,
        TrainList = Path.GetFullPath(set.Dataset.TrainListPath),
        ValList = set.ValidationSource == ValidationSource.Carved || set.Dataset.ValListPath is null ? null : Path.GetFullPath(set.Dataset.ValListPath),
        Validation = set.ValidationSource,
        CarvedValidation = set.Carve?.Val.Select(c => c.Id).ToArray() ?? [],
        TrainClips = set.TrainClips.Count,
        ValClips = set.ValClips.Count,
        OutputFolder = Path.GetFullPath(outputFolder),
        Parameters = set.Values,
        Overridden = set.Entries.Where(e => e.Overridden).Select(e => e.Name).ToArray(),
    };

    public bool Equals(RunConfig? other) =>
        other is not null && Version == other.Version && Profile == other.Profile && ModelRecipe == other.ModelRecipe
        && SpectrogramModelCheckpoint == other.SpectrogramModelCheckpoint && Phonemes == other.Phonemes
        && TrainList == other.TrainList && ValList == other.ValList && Validation == other.Validation
        && CarvedValidation.SequenceEqual(other.CarvedValidation) && TrainClips == other.TrainClips
        && ValClips == other.ValClips && OutputFolder == other.OutputFolder && Parameters.Equals(other.Parameters)
        && Overridden.SequenceEqual(other.Overridden)
        && KeepLastCheckpoints == other.KeepLastCheckpoints
        && BestMetric == other.BestMetric && FreeRunningTexts == other.FreeRunningTexts;

    public override int GetHashCode() => HashCode.Combine(Profile, TrainList, OutputFolder, Parameters);
}
