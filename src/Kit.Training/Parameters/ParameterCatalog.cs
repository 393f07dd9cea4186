using System.Globalization;
using System.Text.RegularExpressions;
using Kit.Training.Loop;
using Kit.Training.Recipes;

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
    /// <summary>A folder-safe name: letters, digits, '.', '_', '-'.</summary>
    Name,
    /// <summary>None (no decay), or exactly four strictly ascending integers ≥ 1 (DLAS's gen_lr_steps).</summary>
    Milestones,
    /// <summary>The run's precision: true, false, bf16 or fp16 (<see cref="TrainingPrecision"/>).</summary>
    Precision,
}

/// <summary>
/// Where a parameter sits in DLAS's <c>experiments/EXAMPLE_gpt.yml</c> (a dotted path), and how its value is
/// written there and read back when DLAS's spelling differs from the kit's (warmup_iter's -1 for none, fp16's yes/no).
/// </summary>
public sealed record DlasKey(string Path, string? Comment = null, Func<object, object>? Write = null, Func<object?, object?>? Read = null)
{
    public object ToDlas(object value) => Write is null ? value : Write(value);
    public object? FromDlas(object? value) => Read is null ? value : Read(value);
}

public sealed record ParameterSpec(string Name, ParameterKind Kind, string Description, Func<TrainingParameters, object> Get, string[] Aliases)
{
    /// <summary>The parameter's key in DLAS's config (<see cref="Config.DlasTrainingYaml"/> writes and reads it there).</summary>
    public required DlasKey Dlas { get; init; }

    /// <summary>What the value sets in the trainer's options (<see cref="TrainerOptions.FromConfig"/>); null: the trainer does not read it (the run's name, the precision, which the recipe reads).</summary>
    public Func<TrainerOptions, object, TrainerOptions>? Trainer { get; init; }

    /// <summary>The value as a YAML file carries it (the precision as false, true, bf16 or fp16).</summary>
    public object Written(TrainingParameters p) => Get(p) is TrainingPrecision precision ? Precisions.Written(precision) : Get(p);

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
    /// <summary>
    /// The one mapping of a run's settings: each Colab name (what a user writes in run.yml, <c>kit params --set</c>
    /// and a notebook's parameters cell), its DLAS key, and what it sets in the trainer. The run config's reader and
    /// writer, the DLAS writer and reader, and <see cref="TrainerOptions.FromConfig"/> all go through this list, so a
    /// setting added here reaches every one of them.
    /// </summary>
    public static IReadOnlyList<ParameterSpec> All { get; } =
    [
        new("TrainBS", ParameterKind.Count, "training batch size (clips per optimizer step)", p => p.TrainBS, ["train_batch_size"])
            { Dlas = new("datasets.train.batch_size"), Trainer = (o, v) => o with { TrainBatchSize = (int)v } },
        new("ValBS", ParameterKind.Count, "validation batch size", p => p.ValBS, ["val_batch_size"])
            { Dlas = new("datasets.val.batch_size"), Trainer = (o, v) => o with { ValidationBatchSize = (int)v } },
        new("ValFreq", ParameterKind.Count, "steps between validation runs", p => p.ValFreq, ["val_freq"])
            { Dlas = new("train.val_freq"), Trainer = (o, v) => o with { ValidationFrequency = (int)v } },
        new("LRDecaySteps", ParameterKind.Milestones, "steps at which the learning rate decays (by the recipe's factor; [] for none)", p => p.LRDecaySteps, ["gen_lr_steps"])
            { Dlas = new("train.gen_lr_steps"), Trainer = (o, v) => o with { DecaySteps = (IReadOnlyList<int>)v } },
        new("PrintFreq", ParameterKind.Count, "steps between progress lines", p => p.PrintFreq, ["print_freq"])
            { Dlas = new("logger.print_freq"), Trainer = (o, v) => o with { PrintFrequency = (int)v } },
        new("SaveCheckpointFreq", ParameterKind.Count, "steps between checkpoints", p => p.SaveCheckpointFreq, ["save_checkpoint_freq"])
            { Dlas = new("logger.save_checkpoint_freq"), Trainer = (o, v) => o with { SaveFrequency = (int)v } },
        new("TrainingRate", ParameterKind.Rate, "starting learning rate", p => p.TrainingRate, ["lr", "LearningRate"])
            { Dlas = new("steps.gpt_train.optimizer_params.lr"), Trainer = (o, v) => o with { LearningRate = (double)v } },
        // DLAS's fp16 is a yes/no: a forced bf16 or fp16 is half precision there.
        new("Fp16", ParameterKind.Precision, "precision: false (fp32), true (half precision where the GPU does it well), bf16 or fp16 (force that autocast)", p => p.Fp16, [])
            { Dlas = new("fp16", Write: v => (TrainingPrecision)v != TrainingPrecision.Fp32) },
        new("ExperimentName", ParameterKind.Name, "the run's folder name", p => p.ExperimentName, ["Experiment_Name", "name"])
            { Dlas = new("name") },
        new("WarmupSteps", ParameterKind.NonNegative, "steps of linear learning-rate warmup", p => p.WarmupSteps, ["warmup_iter"])
            {
                Dlas = new("train.warmup_iter", "-1: no warmup", Write: v => (int)v == 0 ? -1 : v, Read: v => v is "-1" ? "0" : v),
                Trainer = (o, v) => o with { WarmupSteps = (int)v },
            },
        new("MegaBatchFactor", ParameterKind.Count, "micro-batches per batch (gradient accumulation)", p => p.MegaBatchFactor, ["GradientAccumulation", "mega_batch_factor"])
            { Dlas = new("train.mega_batch_factor", "gradient accumulation: micro-batches per batch"), Trainer = (o, v) => o with { AccumulationSteps = (int)v } },
        new("Seed", ParameterKind.Integer, "random seed (shuffling, validation carve)", p => p.Seed, ["manual_seed"])
            { Dlas = new("train.manual_seed"), Trainer = (o, v) => o with { Seed = (int)v } },
        new("TotalSteps", ParameterKind.Count, "steps the run lasts", p => p.TotalSteps, ["niter"])
            { Dlas = new("train.niter"), Trainer = (o, v) => o with { MaxSteps = (int)v } },
    ];

    public static ParameterSpec Find(string name) =>
        All.FirstOrDefault(s => s.Matches(name.Trim())) ?? throw new ParameterException(Unknown(name));

    /// <summary>Settings older kits named otherwise, named in the refusal (a run.yml's older top-level precision: is read, see RunConfigFile).</summary>
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.OrdinalIgnoreCase) { ["precision"] = "Fp16" };

    /// <summary>The refusal of a name no parameter has, with the parameter it is now, or the nearest one (`kit params --set`, run.yml's parameters).</summary>
    public static string Unknown(string name)
    {
        var names = All.Select(s => s.Name).ToArray();
        var hint = Renamed.TryGetValue(name.Trim(), out var now)
            ? $"it is now the parameter {now} ({Find(now).Description})"
            : $"did you mean '{Config.RunConfigValidation.Nearest(name, names)}'?";
        return $"unknown parameter '{name}'; {hint} (known: {string.Join(", ", names)})";
    }

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
                ParameterKind.Name => CheckName(spec, Convert.ToString(raw, CultureInfo.InvariantCulture)!.Trim()),
                ParameterKind.Milestones => CheckMilestones(spec, ToInts(raw)),
                ParameterKind.Precision => ToPrecision(spec, raw),
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
        TrainingPrecision p => Format(Precisions.Written(p)),
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
        ParameterKind.Name => "expected a name of letters, digits, '.', '_' or '-'",
        ParameterKind.Milestones => "expected exactly 4 ascending whole numbers, e.g. [100, 200, 280, 360], or [] for no decay",
        ParameterKind.Precision => Precisions.Expected,
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

    private static int[] ToInts(object raw) => raw switch
    {
        string t => t.Trim().TrimStart('[').TrimEnd(']')
            .Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => ToInt(x)).ToArray(),
        System.Collections.IEnumerable e => e.Cast<object>().Select(ToInt).ToArray(),
        _ => throw new FormatException($"not a list: {raw.GetType().Name}"),
    };

    private static TrainingPrecision ToPrecision(ParameterSpec spec, object raw)
    {
        try { return Precisions.Parse(raw); }
        catch (ArgumentException) { throw new ParameterException($"{spec.Name} = '{Format(raw)}': {Expected(spec.Kind)}"); }
    }

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
            Fp16 = (TrainingPrecision)v["Fp16"], ExperimentName = (string)v["ExperimentName"], WarmupSteps = (int)v["WarmupSteps"],
            MegaBatchFactor = (int)v["MegaBatchFactor"], Seed = (int)v["Seed"], TotalSteps = (int)v["TotalSteps"],
        };
    }
}
