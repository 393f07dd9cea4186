using System.Text.Json;
using System.Text.Json.Serialization;
using Kit.Data.Datasets;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Data.Checks;

/// <summary>
/// The result of <see cref="DatasetCheck.Run"/>: findings, a summary and every entry with its duration and
/// text, saved as JSON by `kit check --json` and read back with <see cref="Load"/>. The JSON shape (camelCase
/// names, enums as lower-case strings) is versioned by <see cref="SchemaVersion"/>; fields are only added.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed record DatasetCheckReport : IRenderable
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    /// <summary>The dataset folder (absolute).</summary>
    public string Dataset { get; init; } = "";
    public DateTimeOffset CheckedAt { get; init; }
    public DatasetCheckOptions Options { get; init; } = new();
    /// <summary>0 no errors, 1 errors found, 2 the dataset could not be read (see <see cref="Error"/>).</summary>
    public int ExitCode { get; init; }
    /// <summary>Why the dataset could not be read at all; null otherwise.</summary>
    public string? Error { get; init; }
    public DatasetSummary Summary { get; init; } = new();
    public IReadOnlyList<Finding> Findings { get; init; } = [];
    public IReadOnlyList<CheckedEntry> Entries { get; init; } = [];

    [JsonIgnore]
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);

    /// <summary>The entries of one split that training can use (no error finding), in file order.</summary>
    public IEnumerable<CheckedEntry> UsableEntries(Split split) => Entries.Where(e => e.Split == split && e.Usable);

    /// <summary>The findings with one code.</summary>
    public IEnumerable<Finding> WithCode(string code) => Findings.Where(f => f.Code == code);

    /// <summary>A report for a dataset that could not be read at all (exit status 2).</summary>
    public static DatasetCheckReport Unreadable(string path, string reason) => new()
    {
        Dataset = Path.GetFullPath(path),
        CheckedAt = DateTimeOffset.UtcNow,
        ExitCode = 2,
        Error = reason,
    };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Transcripts stay readable in the file: only what JSON requires is escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the JSON beside and renames it, so a reader never sees half a report.</summary>
    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        File.WriteAllText(path + ".partial", ToJson());
        File.Move(path + ".partial", path, overwrite: true);
    }

    public static DatasetCheckReport FromJson(string json)
    {
        var report = JsonSerializer.Deserialize<DatasetCheckReport>(json, JsonOptions)
            ?? throw new InvalidDataException("the check report JSON is empty");
        if (report.SchemaVersion > CurrentSchemaVersion)
            throw new InvalidDataException($"the check report has schema version {report.SchemaVersion}; this kit reads up to {CurrentSchemaVersion}");
        return report;
    }

    /// <summary>Reads a report saved by `kit check --json`.</summary>
    public static DatasetCheckReport Load(string path)
    {
        try { return FromJson(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a dataset check report: {e.Message}", e); }
    }

    internal static DatasetCheckReport Build(Datasets.Dataset dataset, IReadOnlyDictionary<string, ClipMeasurement> clips,
        List<Finding> findings, DatasetCheckOptions options)
    {
        var codesByLine = findings.Where(f => f.Line > 0).ToLookup(f => (f.Split, f.Line));
        var entries = dataset.Entries.Select(e =>
        {
            var clip = clips[e.AudioPath];
            var codes = codesByLine[(e.Split, e.Line)].ToList();
            return new CheckedEntry
            {
                Split = e.Split,
                Line = e.Line,
                Audio = e.Audio,
                Text = e.TrainingText,
                TextLength = e.TrainingText.Length,
                DurationSeconds = clip.Info?.DurationSeconds,
                SampleRate = clip.Info?.SampleRate,
                Channels = clip.Info?.Channels,
                CharactersPerSecond = clip.Readable ? DatasetCheck.SpeakingRate(e, clip) : null,
                Usable = codes.All(f => f.Severity != Severity.Error),
                Codes = codes.Select(f => f.Code).Distinct().ToList(),
            };
        }).ToList();

        var readable = clips.Values.Where(c => c.Readable).ToList();
        var textByClip = dataset.Entries.GroupBy(e => e.AudioPath).ToDictionary(g => g.Key, g => g.First());
        var characters = string.Concat(dataset.Entries.SelectMany(e => e.TrainingText.EnumerateRunes()).Distinct().Order().Select(r => r.ToString()));
        var splits = dataset.Lists.Select(l =>
        {
            var own = findings.Where(f => f.Split == l.Split).ToList();
            var usable = entries.Where(e => e.Split == l.Split && e.Usable).ToList();
            return new SplitSummary
            {
                Split = l.Split,
                ListFile = l.Name,
                Lines = l.Entries.Count + own.Count(f => f.Code == FindingCodes.MalformedLine),
                Entries = l.Entries.Count,
                Usable = usable.Count,
                UsableHours = usable.Sum(e => e.DurationSeconds ?? 0) / 3600,
                Errors = own.Count(f => f.Severity == Severity.Error),
                Warnings = own.Count(f => f.Severity == Severity.Warning),
            };
        }).ToList();

        var summary = new DatasetSummary
        {
            Clips = clips.Count,
            ReadableClips = readable.Count,
            TotalHours = readable.Sum(c => c.Info!.DurationSeconds) / 3600,
            Durations = Distribution.Of(readable.Select(c => c.Info!.DurationSeconds)),
            SpeakingRates = Distribution.Of(readable.Select(c => DatasetCheck.SpeakingRate(textByClip[c.Path], c))),
            SampleRates = Count(readable.Select(c => c.Info!.SampleRate)),
            Channels = Count(readable.Select(c => c.Info!.Channels)),
            Formats = Count(readable.Select(c => c.Info!.Format)),
            CharacterSet = characters,
            UnsupportedCharacters = DatasetCheck.UnsupportedCharacters(characters, options.SupportedCharacters),
            Splits = splits,
            Errors = findings.Count(f => f.Severity == Severity.Error),
            Warnings = findings.Count(f => f.Severity == Severity.Warning),
            FindingsByCode = findings.GroupBy(f => f.Code).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        };
        return new DatasetCheckReport
        {
            Dataset = dataset.Root,
            CheckedAt = DateTimeOffset.UtcNow,
            Options = options,
            ExitCode = summary.Errors > 0 ? 1 : 0,
            Summary = summary,
            Findings = findings,
            Entries = entries,
        };
    }

    private static Dictionary<T, int> Count<T>(IEnumerable<T> values) where T : notnull =>
        values.GroupBy(v => v).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    // Renderings: the whole report here; its parts (summary, findings, histogram) in CheckRenderings.
    public IReadOnlyList<Rendering> Render() =>
    [
        new(Rendering.Html, CheckRenderings.ReportHtml(this)),
        new(Rendering.Text, CheckRenderings.ReportText(this)),
    ];

    /// <summary>The summary as a table (a notebook output).</summary>
    public IRenderable SummaryTable() => new CheckRenderings.Part(CheckRenderings.SummaryHtml(this), CheckRenderings.SummaryText(this));

    /// <summary>The findings as a table, at most <paramref name="limit"/> rows (a notebook output).</summary>
    public IRenderable FindingsTable(int limit = 500) => new CheckRenderings.Part(CheckRenderings.FindingsHtml(this, limit), CheckRenderings.FindingsText(this, limit));

    /// <summary>The clip-duration histogram as an HTML bar table (no chart library needed).</summary>
    public IRenderable DurationHistogramTable() =>
        new CheckRenderings.Part(CheckRenderings.HistogramHtml(Summary.Durations.Histogram, "clip duration (s)"), CheckRenderings.HistogramText(Summary.Durations.Histogram, "s"));

    /// <summary>Players for the first <paramref name="count"/> usable clips of a split (train by default).</summary>
    public IRenderable AudioPlayers(int count = 3, Split split = Split.Train) =>
        AudioPlayer.Many(UsableEntries(split).Take(count).Select(e => AudioPlayer.FromFile(Path.Combine(Dataset, e.Audio), $"{e.Audio}: {e.Text}")));

    /// <summary>Durations of the readable distinct clips, for a chart.</summary>
    [JsonIgnore]
    public IEnumerable<double> Durations => Entries.Where(e => e.DurationSeconds is not null).DistinctBy(e => e.Audio).Select(e => e.DurationSeconds!.Value);
}
