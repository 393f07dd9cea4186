namespace Kit.Training.Parameters;

/// <summary>
/// The calculator's result: the values a run will use, each with its reason, the warnings, and the split of
/// clips it was calculated for. Renders as a table (text and HTML) in notebooks and the CLI.
/// </summary>
public sealed partial class ParameterSet
{
    public required string Profile { get; init; }
    public required DatasetStats Dataset { get; init; }
    public required TrainingParameters Values { get; init; }
    public required IReadOnlyList<ParameterEntry> Entries { get; init; }
    public required IReadOnlyList<ParameterWarning> Warnings { get; init; }

    /// <summary>Clips the run trains on (after any carve).</summary>
    public required IReadOnlyList<ClipStats> TrainClips { get; init; }

    /// <summary>Clips the run validates on.</summary>
    public required IReadOnlyList<ClipStats> ValClips { get; init; }

    public required ValidationSource ValidationSource { get; init; }

    /// <summary>Set when the kit profile took the validation clips out of the training list.</summary>
    public ValidationCarve? Carve { get; init; }

    public required int StepsPerEpoch { get; init; }

    /// <summary>Training clips no batch sees in an epoch (DLAS drops partial batches; the kit never does).</summary>
    public required int ClipsLeftOutPerEpoch { get; init; }

    /// <summary>The memory batches were fitted to, and the clips per forward pass it allows (null: not checked).</summary>
    public GpuMemory? Memory { get; init; }
    public int? MaxMicroBatch { get; init; }

    /// <summary>The recipe's defaults the values started from; its clipping, weight decay and decay factor are not run
    /// config parameters, but the trainer and the recipe's optimizer use them, so the table shows them too.</summary>
    public RecipeDefaults Recipe { get; init; } = RecipeDefaults.TortoiseGpt;

    /// <summary>What the recipe trains with besides the parameters: (name, value, reason) for the table's foot.</summary>
    public IReadOnlyList<(string Name, string Value, string Reason)> RecipeSettings =>
    [
        ("MaxGradNorm", ParameterCatalog.Format(Recipe.MaxGradNorm.Value), $"{Recipe.Recipe}: {Recipe.MaxGradNorm.Why}"),
        ("WeightDecay", ParameterCatalog.Format(Recipe.WeightDecay.Value), $"{Recipe.Recipe}: {Recipe.WeightDecay.Why}"),
        ("DecayGamma", ParameterCatalog.Format(Recipe.DecayGamma.Value), $"{Recipe.Recipe}: {Recipe.DecayGamma.Why}"),
        .. Recipe.Phonemes is { } phonemes ? [("Phonemes", phonemes.Value ? "true" : "false", $"{Recipe.Recipe}: {phonemes.Why} (run.yml's model.phonemes)")] : Array.Empty<(string, string, string)>(),
    ];

    public ParameterEntry this[string name] =>
        Entries.FirstOrDefault(e => e.Name == ParameterCatalog.Find(name).Name)
        ?? throw new KeyNotFoundException(name);

    public bool IsOverridden(string name) => this[name].Overridden;

    public IEnumerable<ParameterWarning> WarningsFor(string rule) => Warnings.Where(w => w.Rule == rule);
}
