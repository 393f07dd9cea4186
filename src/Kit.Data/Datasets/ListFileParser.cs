using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Kit.Data.Checks;

namespace Kit.Data.Datasets;

/// <summary>
/// Reads an LJSpeech-style list file. A file is in one format, decided from its lines as a whole (see
/// <see cref="ListFormat"/>): `id|text[|normalized]` (audio at wavs/ID.wav) or `path|text` (a path relative
/// to the list file's folder, as DLAS resolves it). A line that does not fit the file's format is
/// malformed-line, never read as the other format. UTF-8 with or without a BOM, UTF-16 or UTF-32 with one
/// (<see cref="ListFileText"/>), LF or CRLF. A bad line becomes a finding; only a file that cannot be read as
/// text is an exception.
/// </summary>
public static class ListFileParser
{
    public static ListFile Parse(string path, Split split, string datasetRoot)
    {
        var bytes = ListFileText.ReadUtf8(path);
        string name = Path.GetRelativePath(datasetRoot, path).Replace('\\', '/');
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var entries = new List<DatasetEntry>();
        var findings = new List<Finding>();
        var lines = new List<(int Number, string[] Fields)>();

        ReadOnlySpan<byte> rest = bytes.Span;
        int lineNumber = 0;
        while (!rest.IsEmpty)
        {
            lineNumber++;
            int end = rest.IndexOf((byte)'\n');
            var raw = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (!raw.IsEmpty && raw[^1] == (byte)'\r') raw = raw[..^1];

            string line = Encoding.UTF8.GetString(raw); // invalid bytes become U+FFFD
            if (!Utf8.IsValid(raw))
            {
                int at = FirstInvalidByte(raw);
                findings.Add(new Finding(split, lineNumber, name, FindingCodes.InvalidUtf8, Severity.Error,
                    $"byte 0x{raw[at]:X2} at column {at + 1} is not UTF-8; save {name} as UTF-8 (it looks like another encoding, e.g. Latin-1 or Windows-1252)")
                { ListFile = name });
            }
            if (string.IsNullOrWhiteSpace(line)) continue; // blank lines (a trailing newline) are not entries
            lines.Add((lineNumber, line.Split('|')));
        }

        var format = DecideFormat(lines, split);
        foreach (var (number, fields) in lines)
        {
            string? problem = Problem(fields, format);
            if (problem is not null)
            {
                findings.Add(new Finding(split, number, name, FindingCodes.MalformedLine, Severity.Error, problem) { ListFile = name });
                continue;
            }
            string reference = fields[0].Trim().Replace('\\', '/');
            string relative = format == ListFormat.PathText ? reference : $"wavs/{reference}.wav";
            string audioPath = Path.GetFullPath(Path.Combine(folder, relative));
            // A path the line gives as absolute is shown as written, not as a climb out of the dataset folder.
            string audio = Path.IsPathRooted(reference) ? reference : Path.GetRelativePath(datasetRoot, audioPath).Replace('\\', '/');
            entries.Add(new DatasetEntry(split, number, name, audioPath, audio, fields[1].Trim(),
                fields.Length == 3 ? fields[2].Trim() : null));
        }
        var byLine = findings.OrderBy(f => f.Line).ToList(); // stable: a line's encoding finding stays first
        return new ListFile(split, Path.GetFullPath(path), name, lineNumber, entries, byLine) { Format = format };
    }

    /// <summary>
    /// The file's format, from what most of its lines with a separator start with: an audio path or a clip
    /// id. With no such line to go by, metadata.csv is LJSpeech's and any other list DLAS's.
    /// </summary>
    public static ListFormat DecideFormat(IReadOnlyList<(int Number, string[] Fields)> lines, Split split)
    {
        int paths = 0, ids = 0;
        foreach (var (_, fields) in lines)
        {
            if (fields.Length < 2 || string.IsNullOrWhiteSpace(fields[0])) continue;
            if (LooksLikePath(fields[0].Trim())) paths++;
            else ids++;
        }
        if (paths != ids) return paths > ids ? ListFormat.PathText : ListFormat.IdText;
        return split == Split.Metadata ? ListFormat.IdText : ListFormat.PathText;
    }

    /// <summary>Why a line does not fit the file's format, naming the fields it has and the format expects; null when it fits.</summary>
    private static string? Problem(string[] fields, ListFormat format)
    {
        string expected = format == ListFormat.PathText
            ? "this list's lines are `path/to/clip.wav|text` (2 fields)"
            : "this list's lines are `id|text|normalized text` (3 fields, or 2 without the normalized text)";
        if (fields.Length == 1) return $"no '|' separator: {expected}";
        bool fits = format == ListFormat.PathText ? fields.Length == 2 : fields.Length is 2 or 3;
        if (!fits)
            return $"{fields.Length} '|'-separated fields where {expected}: is there a '|' in the text?";
        if (string.IsNullOrWhiteSpace(fields[0]))
            return $"nothing before the first '|': {expected}";
        var first = fields[0].Trim();
        if (format == ListFormat.IdText && LooksLikePath(first))
            return $"starts with the audio path {first}, but {expected}, with clip ids (audio at wavs/ID.wav)";
        return null;
    }

    // Extensions DLAS's loader reads, and two it does not (a path all the same, which the check then reports).
    private static readonly string[] PathExtensions = [.. Kit.Data.Audio.AudioFile.Extensions, ".opus", ".m4a"];

    private static bool LooksLikePath(string reference) =>
        reference.Contains('/') || reference.Contains('\\') || PathExtensions.Any(e => reference.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static int FirstInvalidByte(ReadOnlySpan<byte> raw)
    {
        var chars = ArrayPool<char>.Shared.Rent(raw.Length + 1);
        try
        {
            Utf8.ToUtf16(raw, chars, out int read, out _, replaceInvalidSequences: false);
            return Math.Min(read, raw.Length - 1);
        }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }
}
