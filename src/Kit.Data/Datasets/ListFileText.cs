using System.Text;

namespace Kit.Data.Datasets;

/// <summary>
/// A list file's bytes as UTF-8, whichever Unicode encoding its byte-order mark names (UTF-8, UTF-16 LE/BE,
/// UTF-32; .NET's StreamReader reads the mark). Notepad's and Excel's "Unicode" is UTF-16 with a mark, which
/// read as UTF-8 put a NUL between letters and ended in "Null character in path". A file with NULs and no mark
/// is not text the kit can read and is refused, saying what it looks like and what to do. Bytes that are not
/// UTF-8 in a file without NULs (a Latin-1 list) are left to the parser, which reports them line by line.
/// </summary>
internal static class ListFileText
{
    public static ReadOnlyMemory<byte> ReadUtf8(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetLoadException($"{path}: cannot be read: {e.Message}", e);
        }

        Encoding encoding;
        using (var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true))
        {
            reader.Peek(); // reads the mark, if any
            encoding = reader.CurrentEncoding;
        }
        var mark = encoding.Preamble;
        var body = bytes.AsMemory(bytes.AsSpan().StartsWith(mark) ? mark.Length : 0);
        if (encoding.CodePage == Encoding.UTF8.CodePage)
        {
            if (body.Span.Contains((byte)0)) throw NotText(path, body.Span);
            return body;
        }

        var strict = (Encoding)encoding.Clone();
        strict.DecoderFallback = DecoderFallback.ExceptionFallback;
        string text;
        try { text = strict.GetString(body.Span); }
        catch (DecoderFallbackException)
        {
            throw new DatasetLoadException($"{path}: starts with the byte-order mark of {Name(encoding)}, but the bytes after it are not {Name(encoding)}; save the list as UTF-8");
        }
        if (text.Contains('\0'))
            throw new DatasetLoadException($"{path}: {Name(encoding)} with NUL characters in it, not a dataset list; give the dataset folder, or its metadata.csv / train.txt saved as UTF-8");
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>
    /// Why a file with NUL bytes and no mark is refused. Mostly-ASCII text saved as UTF-16 without a mark has a
    /// NUL in every other byte (the odd ones for little-endian); anything else with NULs is binary (a WAV, an archive).
    /// </summary>
    private static DatasetLoadException NotText(string path, ReadOnlySpan<byte> bytes)
    {
        int even = 0, odd = 0;
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == 0) { if (i % 2 == 0) even++; else odd++; }
        string? utf16 = odd * 4 >= bytes.Length && even * 10 <= odd ? "UTF-16 LE"
            : even * 4 >= bytes.Length && odd * 10 <= even ? "UTF-16 BE" : null;
        return new DatasetLoadException(utf16 is null
            ? $"{path}: a binary file, not a dataset list; give the dataset folder, or its metadata.csv / train.txt"
            : $"{path}: {utf16} without a byte-order mark (a NUL byte beside every letter), which the kit cannot tell from binary; save it as UTF-8, or as UTF-16 with a byte-order mark");
    }

    private static string Name(Encoding encoding) => encoding.CodePage switch
    {
        1200 => "UTF-16 LE",
        1201 => "UTF-16 BE",
        12000 => "UTF-32 LE",
        12001 => "UTF-32 BE",
        _ => encoding.WebName,
    };
}
