using Kit.Data.Datasets;

namespace Kit.Data.Checks;

/// <summary>One list file's counts.</summary>
public sealed record SplitSummary
{
    public Split Split { get; init; }
    public string ListFile { get; init; } = "";
    /// <summary>Non-blank lines.</summary>
    public int Lines { get; init; }
    /// <summary>Lines shaped as entries (malformed lines are not).</summary>
    public int Entries { get; init; }
    /// <summary>Entries with no error finding: what training can use.</summary>
    public int Usable { get; init; }
    public double UsableHours { get; init; }
    public int Errors { get; init; }
    public int Warnings { get; init; }
}

/// <summary>The dataset as a whole: what a person wants to know before training on it.</summary>
public sealed record DatasetSummary
{
    /// <summary>Distinct audio files the list files name.</summary>
    public int Clips { get; init; }
    public int ReadableClips { get; init; }
    /// <summary>Total duration of the readable distinct clips.</summary>
    public double TotalHours { get; init; }
    public Distribution Durations { get; init; } = Distribution.Empty;
    /// <summary>Characters of training text per second of audio, per distinct clip.</summary>
    public Distribution SpeakingRates { get; init; } = Distribution.Empty;
    /// <summary>Sample rate (Hz) → clips at it.</summary>
    public IReadOnlyDictionary<int, int> SampleRates { get; init; } = new Dictionary<int, int>();
    /// <summary>Channel count → clips with it.</summary>
    public IReadOnlyDictionary<int, int> Channels { get; init; } = new Dictionary<int, int>();
    /// <summary>Container and codec ("WAV 16-bit PCM", "MP3", "FLAC 24-bit", "OGG Vorbis") → clips in it.</summary>
    public IReadOnlyDictionary<string, int> Formats { get; init; } = new Dictionary<string, int>();
    /// <summary>Every distinct character of the training texts, in code-point order.</summary>
    public string CharacterSet { get; init; } = "";
    public string UnsupportedCharacters { get; init; } = "";
    public IReadOnlyList<SplitSummary> Splits { get; init; } = [];
    public int Errors { get; init; }
    public int Warnings { get; init; }
    /// <summary>Code → findings with it.</summary>
    public IReadOnlyDictionary<string, int> FindingsByCode { get; init; } = new Dictionary<string, int>();
}
