using Kit.Training.Parameters;
using Kit.Training.Recipes;

namespace Kit.Training.Config;

/// <summary>
/// Writes and reads <see cref="RunConfig"/> as YAML (<c>run.yml</c>): the one file a run's config lives in,
/// whether `kit params` writes it or the trainer records it in the run folder (and each checkpoint keeps its
/// text). Paths are stored relative to the file's folder, so a run folder can move with its dataset beside it;
/// they are absolute again once read. Each parameter carries its reason as a comment.
/// </summary>
public static class RunConfigFile
{
    public const string FileName = "run.yml";

    /// <summary>The name run folders written by older kits keep the same record under; read wherever a run folder is.</summary>
    public const string OlderFileName = "config.yaml";

    /// <summary>The file holding <paramref name="folder"/>'s run config: its run.yml, else an older kit's config.yaml, else (neither there) where run.yml goes.</summary>
    public static string InFolder(string folder)
    {
        var current = Path.Combine(folder, FileName);
        var older = Path.Combine(folder, OlderFileName);
        return !File.Exists(current) && File.Exists(older) ? older : current;
    }

    /// <summary>
    /// Records the config a run trains with as <paramref name="folder"/>'s run.yml and returns its path. A run.yml
    /// there that already reads back as this config is kept as it is, byte for byte (`kit train runs/v/run.yml`
    /// trains into runs/v: the file `kit params` wrote, with its reasons, is the record); an older kit's
    /// config.yaml, left by a start that saved no checkpoint, gives way to it.
    /// </summary>
    public static string Record(RunConfig config, string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!IsAlready(config, path)) Write(config, path);
        File.Delete(Path.Combine(folder, OlderFileName));
        return path;
    }

    private static bool IsAlready(RunConfig config, string path)
    {
        if (!File.Exists(path)) return false;
        try { return Read(path).Equals(config); }
        catch (ConfigFormatException) { return false; } // a damaged or outdated record is replaced
    }

    public static void Write(RunConfig config, string path, IReadOnlyList<ParameterEntry>? reasons = null)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string Rel(string p) => Path.GetRelativePath(dir, p).Replace('\\', '/');

        var tmp = full + ".tmp";
        using (var text = new StreamWriter(tmp))
        {
            var y = new YamlWriter(text);
            y.Comment("Kit run config: the one file a run folder starts from (written by `kit params`).")
             .Comment("Edit values by key; paths are relative to this file. `kit params --set Name=value` recalculates.");
            y.Int("version", config.Version)
             .Str("profile", config.Profile)
             .Map("model", () =>
             {
                 y.Str("recipe", config.ModelRecipe, "the model recipe `kit train` and notebook 03 train");
                 if (config.Phonemes is { } phonemes)
                     y.Bool("phonemes", phonemes, "read the transcripts as espeak-ng phonemes (true) or letters (false); a run's model keeps its choice");
                 if (config.SpectrogramModelCheckpoint is { } spectrogram)
                     y.Str("spectrogram_checkpoint", spectrogram.Contains("://") ? spectrogram : Rel(spectrogram), "a signal model trains on this spectrogram model's teacher-forced frames");
             })
             .Map("dataset", () =>
             {
                 y.Str("train_list", Rel(config.TrainList))
                  .Str("val_list", config.ValList is null ? null : Rel(config.ValList))
                  .Str("validation", SourceName(config.Validation))
                  .Strs("carved_validation", config.CarvedValidation)
                  .Int("train_clips", config.TrainClips)
                  .Int("val_clips", config.ValClips);
             })
             .Str("output", Rel(config.OutputFolder))
             .Int("keep_last_checkpoints", config.KeepLastCheckpoints, "checkpoints kept besides the best one; lower it when the disk is small")
             .Str("best_metric", config.BestMetric, "the validation metric best.json and early stopping follow; empty: the recipe's own (dev_free/mcd_sl_db for the spectrogram models, dev_free/mcd_db for the signal models)")
             .Int("free_running_texts", config.FreeRunningTexts, "validation lines the model speaks on its own at each validation (dev_free/ metrics)")
             .Map("parameters", () =>
             {
                 foreach (var spec in ParameterCatalog.All)
                 {
                     var reason = reasons?.FirstOrDefault(r => r.Name == spec.Name)?.Reason;
                     y.Value(spec.Name, spec.Written(config.Parameters), reason);
                 }
             })
             .Strs("overridden", config.Overridden);
            y.Finish();
        }
        File.Move(tmp, full, overwrite: true); // a crash mid-write never leaves half a config
    }

    public static RunConfig Read(string path)
    {
        var doc = YamlDocument.Load(path);
        RunConfigValidation.CheckKeys(doc);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Abs(string p) => Path.GetFullPath(Path.Combine(dir, p));
        // Dataset lists may have stayed where they were while the folder holding the config moved.
        string Existing(string p) => RelativePaths.Resolve(dir, p);
        string Required(string key) => doc.Scalar(key) ?? throw doc.Error(doc.Get(key), $"'{key}' needs a value");
        int Int(string key) => int.TryParse(Required(key), out var v) ? v : throw doc.Error(doc.Get(key), $"'{key}' should be a whole number");

        var version = Int("version");
        if (version != RunConfig.CurrentVersion)
            throw doc.Error(doc.Get("version"), $"version {version} is not one this kit reads ({RunConfig.CurrentVersion})");

        var parametersNode = doc.Get("parameters");
        if (parametersNode is not YamlDotNet.RepresentationModel.YamlMappingNode parameters)
            throw doc.Error(parametersNode, "'parameters' should be a mapping of Name: value");
        var raw = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, _) in parameters.Children)
        {
            var name = ((YamlDotNet.RepresentationModel.YamlScalarNode)key).Value!;
            var spec = ParameterCatalog.All.First(s => s.Matches(name)); // RunConfigValidation.CheckKeys refused the others
            raw[name] = spec.Kind == ParameterKind.Milestones ? doc.Sequence($"parameters.{name}") : doc.Scalar($"parameters.{name}");
        }
        TrainingParameters values;
        try
        {
            values = TrainingParametersMap.FromValues(raw, name =>
                $"{path}:{(doc.Find($"parameters.{name}") ?? parametersNode).Start.Line}: ");
        }
        catch (ParameterException e)
        {
            throw new ConfigFormatException(e.Message, e);
        }
        var notes = new List<string>();
        values = values with { Fp16 = ReadOlderPrecisionKey(doc, path, values.Fp16, notes) };

        var valList = doc.Scalar("dataset.val_list");
        var config = new RunConfig
        {
            Version = version,
            Profile = Required("profile"),
            ModelRecipe = Required("model.recipe"),
            Phonemes = ParsePhonemes(doc),
            SpectrogramModelCheckpoint = doc.Find("model.spectrogram_checkpoint") is not null && doc.Scalar("model.spectrogram_checkpoint") is { Length: > 0 } spectrogram
                ? spectrogram.Contains("://") ? spectrogram : Abs(spectrogram) : null, // an s3:// address stays one
            TrainList = Existing(Required("dataset.train_list")),
            ValList = valList is null ? null : Existing(valList),
            Validation = ParseSource(doc, Required("dataset.validation")),
            CarvedValidation = doc.Sequence("dataset.carved_validation"),
            TrainClips = Int("dataset.train_clips"),
            ValClips = Int("dataset.val_clips"),
            OutputFolder = Abs(Required("output")),
            Parameters = values,
            Overridden = doc.Sequence("overridden"),
            KeepLastCheckpoints = ParseKeepLast(doc),
            BestMetric = ParseBestMetric(doc),
            FreeRunningTexts = ParseFreeRunningTexts(doc),
            Source = new RunConfigSource(Path.GetFullPath(path), Lines(doc)) { Notes = notes },
        };
        // An edited TrainBS meets the rule `kit params` applies, against the clips the config counts (the trainer
        // checks again against the clips it really reads).
        RunConfigValidation.RequireBatchFits(config, config.TrainClips);
        return config;
    }

    // Absent (configs written before the setting existed, or for a recipe that reads no text): null, which the trainer
    // settles (Trainer.TextChoice).
    private static bool? ParsePhonemes(YamlDocument doc)
    {
        if (doc.Find("model.phonemes") is null) return null;
        return bool.TryParse(doc.Scalar("model.phonemes"), out var on) ? on
            : throw doc.Error(doc.Get("model.phonemes"), "'phonemes' should be true (espeak-ng phonemes) or false (letters)");
    }

    // Absent in run configs written before the setting existed: the default.
    private static int ParseKeepLast(YamlDocument doc)
    {
        if (doc.Find("keep_last_checkpoints") is null) return RunConfig.DefaultKeepLastCheckpoints;
        return int.TryParse(doc.Scalar("keep_last_checkpoints"), out var n) && n >= 1 ? n
            : throw doc.Error(doc.Get("keep_last_checkpoints"), "'keep_last_checkpoints' should be a whole number of at least 1");
    }

    // Absent or empty (configs written before the setting existed, or left to the recipe): the recipe's own.
    private static string? ParseBestMetric(YamlDocument doc)
    {
        if (doc.Find("best_metric") is null || doc.Scalar("best_metric") is not { Length: > 0 } name) return null;
        return Metrics.BestMetric.Problem(name) is { } problem ? throw doc.Error(doc.Get("best_metric"), problem) : name;
    }

    private static int ParseFreeRunningTexts(YamlDocument doc)
    {
        if (doc.Find("free_running_texts") is null) return RunConfig.DefaultFreeRunningTexts;
        return int.TryParse(doc.Scalar("free_running_texts"), out var n) && n >= 0 ? n
            : throw doc.Error(doc.Get("free_running_texts"), "'free_running_texts' should be a whole number (0 turns free-running validation off)");
    }

    /// <summary>The line of every key, as "dataset.train_list" and "parameters.TrainBS".</summary>
    private static Dictionary<string, int> Lines(YamlDocument doc)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        void Walk(YamlDotNet.RepresentationModel.YamlMappingNode map, string prefix)
        {
            foreach (var (key, value) in map.Children)
            {
                if (key is not YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } name }) continue;
                lines[prefix + name] = (int)key.Start.Line;
                if (value is YamlDotNet.RepresentationModel.YamlMappingNode child) Walk(child, prefix + name + ".");
            }
        }
        Walk(doc.Root, "");
        return lines;
    }

    private static string SourceName(ValidationSource source) => source switch
    {
        ValidationSource.List => "list",
        ValidationSource.SameAsTrain => "same-as-train",
        ValidationSource.Carved => "carved",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>
    /// Older kits wrote the precision twice: the parameter Fp16 and a top-level <c>precision:</c> (auto left the choice
    /// to Fp16; fp32, bf16 or fp16 forced one). The key is read into Fp16, which is the one setting now, with a line
    /// saying so (the trainer logs it), so an older run folder resumes in the precision it trained in.
    /// </summary>
    private static TrainingPrecision ReadOlderPrecisionKey(YamlDocument doc, string path, TrainingPrecision fp16, List<string> notes)
    {
        if (doc.Find("precision") is not { } node) return fp16;
        var text = doc.Scalar("precision");
        TrainingPrecision read;
        try { read = Precisions.FromOlderPrecisionKey(text, fp16); }
        catch (ArgumentException e) { throw doc.Error(node, e.Message); }
        notes.Add($"{path}:{node.Start.Line}: precision: {text} is an older kit's key, read as the parameter Fp16: " +
                  $"{ParameterCatalog.Format(read)} (the one precision setting now; `kit params` writes only Fp16)");
        return read;
    }

    private static ValidationSource ParseSource(YamlDocument doc, string text) => text switch
    {
        "list" => ValidationSource.List,
        "same-as-train" => ValidationSource.SameAsTrain,
        "carved" => ValidationSource.Carved,
        _ => throw doc.Error(doc.Get("dataset.validation"), $"validation '{text}': expected list, same-as-train or carved"),
    };
}
