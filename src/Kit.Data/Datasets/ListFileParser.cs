using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Kit.Data.Checks;

namespace Kit.Data.Datasets;

/// <summary>
/// Reads an LJSpeech-style list file. Each line is either `id|text[|normalized]` (audio at wavs/ID.wav) or
/// `path|text` (a path relative to the list file's folder, as DLAS resolves it). UTF-8 with or without a
/// BOM, LF or CRLF. A bad line becomes a finding; only an unreadable file is an exception.
/// </summary>
public static class ListFileParser
{
    private static readonly string[] AudioExtensions = [".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a"];

    public static ListFile Parse(string path, Split split, string datasetRoot)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetLoadException($"{path}: cannot be read: {e.Message}", e);
        }
        string name = Path.GetRelativePath(datasetRoot, path).Replace('\\', '/');
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var entries = new List<DatasetEntry>();
        var findings = new List<Finding>();

        ReadOnlySpan<byte> rest = bytes;
        if (rest.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) rest = rest[3..]; // the UTF-8 BOM
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

            var fields = line.Split('|');
            string? problem = fields.Length switch
            {
                1 => "no '|' separator: expected `id|text|normalized text` or `path/to.wav|text`",
                > 3 => $"{fields.Length} '|'-separated fields; expected 2 or 3 (is there a '|' in the text?)",
                _ => string.IsNullOrWhiteSpace(fields[0]) ? "nothing before the first '|': expected a clip id or an audio path" : null,
            };
            if (problem is not null)
            {
                findings.Add(new Finding(split, lineNumber, name, FindingCodes.MalformedLine, Severity.Error, problem) { ListFile = name });
                continue;
            }

            string reference = fields[0].Trim().Replace('\\', '/');
            string relative = LooksLikePath(reference) ? reference : $"wavs/{reference}.wav";
            string audioPath = Path.GetFullPath(Path.Combine(folder, relative));
            string audio = Path.GetRelativePath(datasetRoot, audioPath).Replace('\\', '/');
            entries.Add(new DatasetEntry(split, lineNumber, name, audioPath, audio, fields[1].Trim(),
                fields.Length == 3 ? fields[2].Trim() : null));
        }
        return new ListFile(split, Path.GetFullPath(path), name, lineNumber, entries, findings);
    }

    private static bool LooksLikePath(string reference) =>
        reference.Contains('/') || AudioExtensions.Any(e => reference.EndsWith(e, StringComparison.OrdinalIgnoreCase));

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
