using Kit.Training.Parameters;
using YamlDotNet.RepresentationModel;

namespace Kit.Training.Config;

/// <summary>
/// The one check of a run config, wherever it is read: `kit params` (which writes it), `kit train`, and the
/// notebooks (all read it with <see cref="RunConfigFile.Read"/>). Every key anywhere in the file must be one the
/// kit knows, or the error names the nearest known one: a misspelled setting is never dropped in silence. The
/// batch must fit the dataset, by the same rule `kit params` applies.
/// </summary>
public static class RunConfigValidation
{
    /// <summary>The keys a run config may hold, by mapping ("" is the top level); parameters are checked against the catalog.</summary>
    private static readonly Dictionary<string, string[]> Known = new(StringComparer.Ordinal)
    {
        [""] = ["version", "profile", "model", "dataset", "output", "keep_last_checkpoints", "best_metric", "free_running_texts", "parameters", "overridden"],
        ["model"] = ["recipe", "phonemes", "spectrogram_checkpoint"],
        ["dataset"] = ["train_list", "val_list", "validation", "carved_validation", "train_clips", "val_clips"],
    };

    /// <summary>Keys older kits wrote that are still read (into today's settings), though never suggested: precision (now the parameter Fp16).</summary>
    private static readonly string[] Older = ["precision"];

    internal static void CheckKeys(YamlDocument doc)
    {
        foreach (var (mapping, allowed) in Known)
        {
            var node = mapping == "" ? doc.Root : doc.Find(mapping);
            if (node is not YamlMappingNode map) continue; // a missing or misshapen section has its own error
            foreach (var (key, _) in map.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (allowed.Contains(name, StringComparer.Ordinal) || mapping == "" && Older.Contains(name, StringComparer.Ordinal)) continue;
                var where = mapping == "" ? "" : $" under '{mapping}'";
                throw doc.Error(key, $"unknown setting '{name}'{where}; did you mean '{Nearest(name, allowed)}'? (known: {string.Join(", ", allowed)})");
            }
        }
        if (doc.Find("parameters") is YamlMappingNode parameters)
        {
            foreach (var (key, _) in parameters.Children)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (ParameterCatalog.All.Any(s => s.Matches(name))) continue;
                throw doc.Error(key, ParameterCatalog.Unknown(name));
            }
        }
    }

    /// <summary>
    /// TrainBS against the clips the trainer will really use (the config's count may be out of date, or edited);
    /// the rule and its wording are `kit params`'s own.
    /// </summary>
    public static void RequireBatchFits(RunConfig config, int trainClips)
    {
        try { ValueRules.RequireBatchFitsDataset(config.Parameters.TrainBS, trainClips); }
        catch (ParameterException e)
        {
            throw new ConfigFormatException(config.Source is { } source ? $"{source.Where("parameters.TrainBS")}{e.Message}" : e.Message, e);
        }
    }

    /// <summary>The known name closest to <paramref name="name"/> by edit distance, ignoring case.</summary>
    public static string Nearest(string name, IEnumerable<string> known) =>
        known.MinBy(k => Quickenshtein.Levenshtein.GetDistance(name.ToLowerInvariant(), k.ToLowerInvariant())) ?? "";
}

/// <summary>Where a run config was read from, so a later error (a dataset missing, a batch too large) can name the file and line.</summary>
public sealed record RunConfigSource(string Path, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>Lines about older keys read into today's settings ("FILE:LINE: precision: bf16 is an older kit's key, ..."), for the run's log.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>"FILE:LINE: " for a dotted key ("dataset.train_list"), or "FILE: " when the key's line is unknown.</summary>
    public string Where(string key) => Lines.TryGetValue(key, out var line) ? $"{Path}:{line}: {key}: " : $"{Path}: {key}: ";
}
