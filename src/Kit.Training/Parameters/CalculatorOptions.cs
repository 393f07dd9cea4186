namespace Kit.Training.Parameters;

/// <summary>How to calculate: which profile, the user's overrides, and the accelerator memory to fit.</summary>
public sealed record CalculatorOptions
{
    /// <summary>"kit" (the recipe's defaults) or "dlas" (exactly DLAS's param_calc.py, for TorToiSe's GPT).</summary>
    public string Profile { get; init; } = KitProfile.Name;

    public ParameterOverrides Overrides { get; init; } = ParameterOverrides.None;

    /// <summary>The memory to fit batches in. The kit profile finds it with nvidia-smi when this is null and
    /// <see cref="DetectGpu"/> is set, else assumes Colab's 16 GB T4; the dlas profile checks against it only when given.</summary>
    public GpuMemory? GpuMemory { get; init; }

    public bool DetectGpu { get; init; } = true;

    /// <summary>The dlas profile's default validation batch: 16 in param_calc.py, 32 in the Colab notebook.</summary>
    public int DlasValBatch { get; init; } = DlasRules.DefaultValBatch;

    /// <summary>The recipe whose defaults the kit profile starts from (its learning rate, batch, length, memory model).</summary>
    public RecipeDefaults Recipe { get; init; } = RecipeDefaults.TortoiseGpt;
}

/// <summary>Where the validation clips come from.</summary>
public enum ValidationSource
{
    /// <summary>The dataset's own validation list.</summary>
    List,
    /// <summary>The training clips themselves (DLAS with no or the same list: validation proves nothing).</summary>
    SameAsTrain,
    /// <summary>Taken out of the training clips with a fixed seed (kit profile).</summary>
    Carved,
}

/// <summary>Runs a profile by name.</summary>
public static class ParameterCalculator
{
    public static IReadOnlyList<string> Profiles { get; } = [KitProfile.Name, DlasProfile.Name];

    public static ParameterSet Calculate(DatasetStats stats, CalculatorOptions? options = null)
    {
        options ??= new CalculatorOptions();
        if (stats.Train.Count == 0)
            throw new ParameterException($"{stats.TrainListPath}: no usable training clips (run the dataset check to see why)");
        return options.Profile.Trim().ToLowerInvariant() switch
        {
            KitProfile.Name => KitProfile.Calculate(stats, options),
            DlasProfile.Name => DlasProfile.Calculate(stats, options),
            _ => throw new ParameterException($"unknown profile '{options.Profile}'; use {string.Join(" or ", Profiles)}"),
        };
    }

    /// <summary>A folder-safe experiment name from the dataset's folder name.</summary>
    internal static string DefaultExperimentName(DatasetStats stats)
    {
        var cleaned = new string(stats.Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).Trim('.', '-');
        return cleaned.Length == 0 ? "voice" : cleaned;
    }
}
