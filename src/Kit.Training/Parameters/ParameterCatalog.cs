using System.Globalization;
using System.Text.RegularExpressions;

namespace Kit.Training.Parameters;

/// <summary>How a parameter's value is read from text and checked on its own.</summary>
public enum ParameterKind
{
    /// <summary>An integer ≥ 1 (batch sizes, frequencies, step counts).</summary>
    Count,
    /// <summary>An integer ≥ 0.</summary>
    NonNegative,
    /// <summary>Any integer.</summary>
    Integer,
    /// <summary>A finite number in (0, 1).</summary>
    Rate,
    Flag,
    /// <summary>A folder-safe name: letters, digits, '.', '_', '-'.</summary>
    Name,
    /// <summary>None (no decay), or exactly four strictly ascending integers ≥ 1 (DLAS's gen_lr_steps).</summary>
    Milestones,
}

public sealed record ParameterSpec(string Name, ParameterKind Kind, string Description, Func<TrainingParameters, object> Get, string[] Aliases)
{
    public bool Matches(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase)
        || Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Every parameter the calculator produces, in table order, with how its value is parsed and validated.
/// The one place that knows names, aliases and types, so the CLI's <c>--set</c>, the API's dictionary
/// and the YAML loader all accept the same things.
/// </summary>
public static class ParameterCatalog
{
    public static IReadOnlyList<ParameterSpec> All { get; } =
    [
        new("TrainBS", ParameterKind.Count, "training batch size (clips per optimizer step)", p => p.TrainBS, ["train_batch_size"]),
        new("ValBS", ParameterKind.Count, "validation batch size", p => p.ValBS, ["val_batch_size"]),
        new("ValFreq", ParameterKind.Count, "steps between validation runs", p => p.ValFreq, ["val_freq"]),
        new("LRDecaySteps", ParameterKind.Milestones, "steps at which the learning rate decays (by the recipe's factor; [] for none)", p => p.LRDecaySteps, ["gen_lr_steps"]),
        new("PrintFreq", ParameterKind.Count, "steps between progress lines", p => p.PrintFreq, ["print_freq"]),
        new("SaveCheckpointFreq", ParameterKind.Count, "steps between checkpoints", p => p.SaveCheckpointFreq, ["save_checkpoint_freq"]),
        new("TrainingRate", ParameterKind.Rate, "starting learning rate", p => p.TrainingRate, ["lr", "LearningRate"]),
        new("Fp16", ParameterKind.Flag, "half-precision training", p => p.Fp16, []),
        new("ExperimentName", ParameterKind.Name, "the run's folder name", p => p.ExperimentName, ["Experiment_Name", "name"]),
        new("WarmupSteps", ParameterKind.NonNegative, "steps of linear learning-rate warmup", p => p.WarmupSteps, ["warmup_iter"]),
        new("MegaBatchFactor", ParameterKind.Count, "micro-batches per batch (gradient accumulation)", p => p.MegaBatchFactor, ["GradientAccumulation", "mega_batch_factor"]),
        new("Seed", ParameterKind.Integer, "random seed (shuffling, validation carve)", p => p.Seed, ["manual_seed"]),
        new("TotalSteps", ParameterKind.Count, "steps the run lasts", p => p.TotalSteps, ["niter"]),
    ];

    public static ParameterSpec Find(string name) =>
        All.FirstOrDefault(s => s.Matches(name.Trim()))
        ?? throw new ParameterException($"unknown parameter '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>
    /// The value as its kind's type (int, double, bool, string, int[]), or null for a blank value (keep the
    /// calculated one, as in the Colab form). Accepts text or an already-typed value.
    /// </summary>
    public static object? Normalize(ParameterSpec spec, object? raw)
    {
        if (raw is null || raw is string s && string.IsNullOrWhiteSpace(s)) return null;
        try
        {
            return spec.Kind switch
            {
                ParameterKind.Count => CheckInt(spec, ToInt(raw), 1),
                ParameterKind.NonNegative => CheckInt(spec, ToInt(raw), 0),
                ParameterKind.Integer => ToInt(raw),
                ParameterKind.Rate => CheckRate(spec, ToDouble(raw)),
                ParameterKind.Flag => ToBool(raw),
                ParameterKind.Name => CheckName(spec, Convert.ToString(raw, CultureInfo.InvariantCulture)!.Trim()),
                ParameterKind.Milestones => CheckMilestones(spec, ToInts(raw)),
                _ => throw new InvalidOperationException(spec.Kind.ToString()),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            throw new ParameterException($"{spec.Name} = '{Format(raw)}': {Expected(spec.Kind)} ({e.Message})");
        }
    }

    /// <summary>A value as the table and the CLI show it (invariant culture, lists in brackets).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant(),
        bool b => b ? "true" : "false",
        string t => t,
        System.Collections.IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Expected(ParameterKind kind) => kind switch
    {
        ParameterKind.Count => "expected a whole number ≥ 1",
        ParameterKind.NonNegative => "expected a whole number ≥ 0",
        ParameterKind.Integer => "expected a whole number",
        ParameterKind.Rate => "expected a number such as 1e-5",
        ParameterKind.Flag => "expected true or false",
        ParameterKind.Name => "expected a name of letters, digits, '.', '_' or '-'",
        ParameterKind.Milestones => "expected exactly 4 ascending whole numbers, e.g. [100, 200, 280, 360], or [] for no decay",
        _ => "",
    };

    private static int ToInt(object raw) => raw switch
    {
        int i => i,
        long or short or byte => checked((int)Convert.ToInt64(raw, CultureInfo.InvariantCulture)),
        double d when d == Math.Floor(d) => checked((int)d),
        string t => int.Parse(t.Trim().Replace("_", "").Replace(",", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"not a whole number: {raw.GetType().Name}"),
    };

    private static double ToDouble(object raw) => raw switch
    {
        double d => d,
        float f => f,
        int or long => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
        string t => double.Parse(t.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"not a number: {raw.GetType().Name}"),
    };

    private static bool ToBool(object raw) => raw switch
    {
        bool b => b,
        string t => t.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" => false,
            _ => throw new FormatException($"'{t}' is not true or false"),
        },
        _ => throw new FormatException($"not true or false: {raw.GetType().Name}"),
    };

    private static int[] ToInts(object raw) => raw switch
    {
        string t => t.Trim().TrimStart('[').TrimEnd(']')
            .Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => ToInt(x)).ToArray(),
        System.Collections.IEnumerable e => e.Cast<object>().Select(ToInt).ToArray(),
        _ => throw new FormatException($"not a list: {raw.GetType().Name}"),
    };

    private static int CheckInt(ParameterSpec spec, int value, int min) =>
        value >= min ? value : throw new ParameterException($"{spec.Name} = {value}: {Expected(spec.Kind)}");

    private static double CheckRate(ParameterSpec spec, double value) =>
        double.IsFinite(value) && value > 0 && value < 1 ? value
            : throw new ParameterException($"{spec.Name} = {Format(value)}: a learning rate must be a number between 0 and 1, e.g. 1e-5");

    private static string CheckName(ParameterSpec spec, string value) =>
        Regex.IsMatch(value, "^[A-Za-z0-9._-]+$") && value is not ("." or "..") ? value
            : throw new ParameterException($"{spec.Name} = '{value}': {Expected(spec.Kind)} (it becomes a folder name)");

    private static int[] CheckMilestones(ParameterSpec spec, int[] steps)
    {
        if (steps.Length == 0) return steps;
        if (steps.Length != 4)
            throw new ParameterException($"{spec.Name} = {Format(steps)}: {steps.Length} values; {Expected(spec.Kind)}");
        if (steps[0] < 1 || steps.Zip(steps.Skip(1)).Any(p => p.Second <= p.First))
            throw new ParameterException($"{spec.Name} = {Format(steps)}: {Expected(spec.Kind)}");
        return steps;
    }
}

/// <summary>Builds <see cref="TrainingParameters"/> from values by canonical name (what the YAML loaders read).</summary>
public static class TrainingParametersMap
{
    /// <summary>Every catalog parameter, parsed and checked as an override would be; <paramref name="where"/> prefixes errors.</summary>
    public static TrainingParameters FromValues(IReadOnlyDictionary<string, object?> raw, Func<string, string> where)
    {
        var v = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var spec in ParameterCatalog.All)
        {
            var entry = raw.FirstOrDefault(kv => spec.Matches(kv.Key));
            if (entry.Key is null) throw new ParameterException($"{where(spec.Name)}missing parameter {spec.Name}");
            try
            {
                v[spec.Name] = ParameterCatalog.Normalize(spec, entry.Value)
                               ?? throw new ParameterException($"{spec.Name} has no value");
            }
            catch (ParameterException e)
            {
                throw new ParameterException(where(entry.Key) + e.Message);
            }
        }
        return new TrainingParameters
        {
            TrainBS = (int)v["TrainBS"], ValBS = (int)v["ValBS"], ValFreq = (int)v["ValFreq"],
            LRDecaySteps = (int[])v["LRDecaySteps"], PrintFreq = (int)v["PrintFreq"],
            SaveCheckpointFreq = (int)v["SaveCheckpointFreq"], TrainingRate = (double)v["TrainingRate"],
            Fp16 = (bool)v["Fp16"], ExperimentName = (string)v["ExperimentName"], WarmupSteps = (int)v["WarmupSteps"],
            MegaBatchFactor = (int)v["MegaBatchFactor"], Seed = (int)v["Seed"], TotalSteps = (int)v["TotalSteps"],
        };
    }
}
