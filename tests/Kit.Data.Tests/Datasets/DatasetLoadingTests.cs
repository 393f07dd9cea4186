using System.Text;
using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.TestSupport;

namespace Kit.Data.Tests.Datasets;

public sealed class DatasetLoadingTests : IDisposable
{
    private readonly TempDir _dir = new("kit-load");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Metadata_ids_resolve_to_wavs_and_keep_the_normalized_column()
    {
        File.WriteAllText(_dir["metadata.csv"], "LJ001-0001|Dr. Smith, 1st|Doctor Smith, first\nLJ001-0002|Plain text\n");
        var ds = Dataset.Load(_dir.Path);
        var list = Assert.Single(ds.Lists);
        Assert.Equal(Split.Metadata, list.Split);
        var e = list.Entries[0];
        Assert.Equal(Path.Combine(_dir.Path, "wavs", "LJ001-0001.wav"), e.AudioPath);
        Assert.Equal("wavs/LJ001-0001.wav", e.Audio);
        Assert.Equal("Doctor Smith, first", e.TrainingText);
        Assert.Equal("Plain text", list.Entries[1].TrainingText);
        Assert.Empty(list.Findings);
    }

    [Fact]
    public void Path_lines_resolve_relative_to_the_list_files_folder_as_DLAS_does()
    {
        Directory.CreateDirectory(_dir["lists"]);
        File.WriteAllText(_dir["lists/train.txt"], "../audio/a.wav|Hello there.\nclips/b.wav|Second line.\n");
        var ds = Dataset.Load(_dir["lists/train.txt"]);
        Assert.Equal(Split.Train, ds.Lists[0].Split);
        Assert.Equal(Path.Combine(_dir.Path, "audio", "a.wav"), ds.Lists[0].Entries[0].AudioPath);
        Assert.Equal(Path.Combine(_dir.Path, "lists", "clips", "b.wav"), ds.Lists[0].Entries[1].AudioPath);
        Assert.Equal(Split.Val, Dataset.SplitOfFile("my_val_list.txt"));
    }

    [Fact]
    public void Bom_and_crlf_are_read_like_plain_utf8()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("wavs/a.wav|Café au lait.\r\nwavs/b.wav|Two\r\n")).ToArray();
        File.WriteAllBytes(_dir["train.txt"], bytes);
        var list = Dataset.Load(_dir.Path).Lists.Single();
        Assert.Equal(2, list.Entries.Count);
        Assert.Equal("wavs/a.wav", list.Entries[0].Audio);
        Assert.Equal("Café au lait.", list.Entries[0].Text);
        Assert.Equal("Two", list.Entries[1].Text);
        Assert.Empty(list.Findings);
    }

    [Fact]
    public void Bad_lines_are_findings_with_their_line_numbers()
    {
        var latin1 = Encoding.Latin1.GetBytes("wavs/c.wav|Caf\u00e9\n");
        var text = Encoding.UTF8.GetBytes("wavs/a.wav|fine\nno separator here\n\n|no id\na|b|c|d\n");
        File.WriteAllBytes(_dir["train.txt"], text.Concat(latin1).ToArray());
        var list = Dataset.Load(_dir.Path).Lists.Single();
        Assert.Equal(["a", "c"], list.Entries.Select(e => Path.GetFileNameWithoutExtension(e.AudioPath)));
        Assert.Equal(
            [(2, FindingCodes.MalformedLine), (4, FindingCodes.MalformedLine), (5, FindingCodes.MalformedLine), (6, FindingCodes.InvalidUtf8)],
            list.Findings.Select(f => (f.Line, f.Code)));
        Assert.Contains("0xE9", list.Findings[^1].Message);
    }

    [Fact]
    public void A_folder_without_lists_or_a_missing_path_cannot_be_loaded()
    {
        var e = Assert.Throws<DatasetLoadException>(() => Dataset.Load(_dir.Path));
        Assert.Contains("metadata.csv", e.Message);
        Assert.Throws<DatasetLoadException>(() => Dataset.Load(_dir["missing"]));
    }
}
