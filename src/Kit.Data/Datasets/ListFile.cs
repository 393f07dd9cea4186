using Kit.Data.Checks;

namespace Kit.Data.Datasets;

/// <summary>
/// The one line format of a list file, decided from the file as a whole: LJSpeech's `id|text|normalized`
/// (the normalized column may be left off; audio at wavs/ID.wav) or DLAS's `path|text`.
/// </summary>
public enum ListFormat
{
    IdText,
    PathText,
}

/// <summary>A list file read line by line: its format, its entries and the findings about lines that are not entries.</summary>
public sealed record ListFile(Split Split, string Path, string Name, int LineCount, IReadOnlyList<DatasetEntry> Entries, IReadOnlyList<Finding> Findings)
{
    public ListFormat Format { get; init; }
}
