using Kit.Data.Datasets;

namespace Kit.Data.Checks;

/// <summary>
/// One list-file entry as the check saw it: what training needs (audio, text, duration) and whether it is
/// usable (no error finding). The parameter calculation and the trainer read these.
/// </summary>
public sealed record CheckedEntry
{
    public Split Split { get; init; }
    public int Line { get; init; }
    /// <summary>The audio file relative to the dataset folder, or absolute as the line wrote it.</summary>
    public string Audio { get; init; } = "";
    /// <summary>The text the model trains on (the normalized column when there is one).</summary>
    public string Text { get; init; } = "";
    public int TextLength { get; init; }
    /// <summary>Null when the audio is missing or unreadable.</summary>
    public double? DurationSeconds { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public double? CharactersPerSecond { get; init; }
    public bool Usable { get; init; }
    /// <summary>The codes of the findings on this entry's line.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];
}
