using System.Text;
using Kit.Data.Datasets;
using Kit.TestSupport;

namespace Kit.Data.Tests.Datasets;

/// <summary>
/// Issue 24's first CLI fault: a metadata.csv saved as UTF-16 with a byte-order mark (Notepad's and Excel's
/// "Unicode") was read as UTF-8 and ended in "Null character in path". Lists in any encoding a mark names read
/// as the same entries as UTF-8; NULs without a mark are refused, naming the file and what to do.
/// </summary>
public sealed class ListEncodingTests : IDisposable
{
    private const string Metadata = "LJ001-0001|Café, 1st|Café, first\r\nLJ001-0002|Naïve «quotes» — ok|Naive quotes ok\n";

    private readonly TempDir _dir = new("kit-list-encoding");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Marked => ["utf-16le", "utf-16be", "utf-8", "utf-32le"];

    private static Encoding WithMark(string name) => name switch
    {
        "utf-16le" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true),
        "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
        "utf-8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true),
        "utf-32le" => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Marked))]
    public void A_list_with_a_byte_order_mark_reads_as_the_same_entries_as_utf8(string encoding)
    {
        Directory.CreateDirectory(_dir["utf8"]);
        File.WriteAllText(_dir["utf8/metadata.csv"], Metadata, new UTF8Encoding(false));
        Directory.CreateDirectory(_dir[encoding]);
        var path = _dir[$"{encoding}/metadata.csv"];
        File.WriteAllText(path, Metadata, WithMark(encoding)); // StreamWriter writes the mark first, as Notepad does
        Assert.Equal(WithMark(encoding).GetPreamble(), File.ReadAllBytes(path).Take(WithMark(encoding).GetPreamble().Length));

        var expected = Dataset.Load(_dir["utf8"]).Lists.Single();
        var list = Dataset.Load(_dir[encoding]).Lists.Single();

        Assert.Empty(list.Findings);
        Assert.Equal(2, list.Entries.Count);
        Assert.Equal(expected.Entries.Select(e => (e.Audio, e.Text, e.TrainingText, e.Line)),
            list.Entries.Select(e => (e.Audio, e.Text, e.TrainingText, e.Line)));
        Assert.Equal("Naïve «quotes» — ok", list.Entries[1].Text);
    }

    [Theory]
    [InlineData(false, "UTF-16 LE")]
    [InlineData(true, "UTF-16 BE")]
    public void Utf16_without_a_byte_order_mark_is_refused_naming_the_file_the_encoding_and_what_to_do(bool bigEndian, string named)
    {
        var path = _dir["metadata.csv"];
        File.WriteAllText(path, Metadata, new UnicodeEncoding(bigEndian, byteOrderMark: false));
        Assert.Equal(bigEndian ? (byte)0 : (byte)'L', File.ReadAllBytes(path)[0]);

        var e = Assert.Throws<DatasetLoadException>(() => Dataset.Load(_dir.Path));

        Assert.StartsWith($"{path}: {named} without a byte-order mark", e.Message);
        Assert.Contains("save it as UTF-8", e.Message);
    }

    [Fact]
    public void A_mark_followed_by_bytes_that_are_not_that_encoding_is_refused()
    {
        var path = _dir["train.txt"];
        // The UTF-16 LE mark, "a", then a high surrogate with no low one after it.
        File.WriteAllBytes(path, [0xFF, 0xFE, (byte)'a', 0, 0x00, 0xD8, (byte)'|', 0]);

        var e = Assert.Throws<DatasetLoadException>(() => Dataset.Load(path));

        Assert.Equal($"{path}: starts with the byte-order mark of UTF-16 LE, but the bytes after it are not UTF-16 LE; save the list as UTF-8", e.Message);
    }
}
