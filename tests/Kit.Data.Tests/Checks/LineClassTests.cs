using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.TestSupport;

namespace Kit.Data.Tests.Checks;

/// <summary>
/// The kinds of line that DLAS and a naive reader judge differently: compressed clips, transcripts with
/// nothing to speak, lines that do not fit their file's format, and paths that miss by letter case.
/// </summary>
public sealed class LineClassTests : IDisposable
{
    private readonly TempDir _dir = new("kit-lines");

    public void Dispose() => _dir.Dispose();

    private string SampleClip(int i) => Path.Combine(SampleDatasets.Get(), "wavs", $"kit-{i:D4}.wav");

    private static string Transcript(int i) =>
        File.ReadLines(Path.Combine(SampleDatasets.Get(), "metadata.csv")).Single(l => l.StartsWith($"kit-{i:D4}|")).Split('|')[1];

    private List<Finding> FindingsOn(DatasetCheckReport report, string list, int line) =>
        report.Findings.Where(f => f.ListFile == list && f.Line == line).ToList();

    [Fact]
    public void Mp3_flac_and_ogg_clips_are_checked_like_the_wavs_they_came_from()
    {
        SampleDatasets.CopyTo(_dir.Path);
        AudioTools.Lame("-V", "2", _dir["wavs/kit-0001.wav"], _dir["wavs/kit-0001.mp3"]);
        AudioTools.Sox(_dir["wavs/kit-0002.wav"], _dir["wavs/kit-0002.flac"]);
        AudioTools.Sox(_dir["wavs/kit-0003.wav"], _dir["wavs/kit-0003.ogg"]);
        foreach (var list in new[] { "train.txt", "val.txt" })
            File.WriteAllText(_dir[list], File.ReadAllText(_dir[list])
                .Replace("wavs/kit-0001.wav", "wavs/kit-0001.mp3").Replace("wavs/kit-0002.wav", "wavs/kit-0002.flac").Replace("wavs/kit-0003.wav", "wavs/kit-0003.ogg"));

        var report = DatasetCheck.Run(_dir.Path);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings));
        Assert.Equal(1, report.Summary.Formats["MP3"]);
        Assert.Equal(1, report.Summary.Formats["FLAC 16-bit"]);
        Assert.Equal(1, report.Summary.Formats["OGG Vorbis"]);
        Assert.Equal(24, report.Summary.Formats["WAV 16-bit PCM"]);
        foreach (var (compressed, wav) in new[] { ("wavs/kit-0001.mp3", "wavs/kit-0001.wav"), ("wavs/kit-0002.flac", "wavs/kit-0002.wav"), ("wavs/kit-0003.ogg", "wavs/kit-0003.wav") })
        {
            var entry = report.Entries.Single(e => e.Audio == compressed);
            Assert.True(entry.Usable);
            Assert.Equal(report.Entries.First(e => e.Audio == wav).DurationSeconds!.Value, entry.DurationSeconds!.Value, 0.01);
        }
    }

    [Theory]
    [InlineData("...")]
    [InlineData("-")]
    [InlineData("?!")]
    [InlineData("\u2026 \u2014")]
    public void A_transcript_of_punctuation_only_is_empty_text(string text)
    {
        SampleDatasets.CopyTo(_dir.Path);
        File.Copy(SampleClip(14), _dir["wavs/punctuation.wav"]);
        File.AppendAllText(_dir["train.txt"], $"wavs/punctuation.wav|{text}\n");
        int line = File.ReadAllLines(_dir["train.txt"]).Length;

        var found = FindingsOn(DatasetCheck.Run(_dir.Path), "train.txt", line);
        var finding = Assert.Single(found);
        Assert.Equal(FindingCodes.EmptyText, finding.Code);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("nothing to speak", finding.Message);
    }

    [Theory]
    [InlineData("...", false)]
    [InlineData("", false)]
    [InlineData("'\"()", false)]
    [InlineData("42", true)]
    [InlineData("%", true)]
    [InlineData("Oh!", true)]
    public void Speakable_means_a_letter_is_left_after_the_text_front_end(string text, bool speakable) =>
        Assert.Equal(speakable, DatasetCheck.IsSpeakable(text));

    [Fact]
    public void A_third_field_in_a_path_list_is_malformed_not_read_as_normalized_text()
    {
        Directory.CreateDirectory(_dir["wavs"]);
        File.Copy(SampleClip(1), _dir["wavs/a.wav"]);
        File.Copy(SampleClip(2), _dir["wavs/b.wav"]);
        File.WriteAllText(_dir["train.txt"], $"wavs/a.wav|{Transcript(1)}\nwavs/b.wav|{Transcript(2)}|an extra field\n");

        var list = Dataset.Load(_dir.Path).Lists.Single();
        Assert.Equal(ListFormat.PathText, list.Format);
        Assert.DoesNotContain(list.Entries, e => e.TrainingText == "an extra field");
        var finding = Assert.Single(list.Findings);
        Assert.Equal((2, FindingCodes.MalformedLine), (finding.Line, finding.Code));
        Assert.Contains("3 '|'-separated fields", finding.Message);
        Assert.Contains("`path/to/clip.wav|text` (2 fields)", finding.Message);
    }

    [Fact]
    public void An_id_list_takes_ids_with_two_or_three_fields_and_no_paths()
    {
        File.WriteAllText(_dir["metadata.csv"], "LJ1|One.|One.\nLJ2|Two.\nLJ3|Three.|Three.|extra\nwavs/LJ4.wav|Four.|Four.\n");
        var list = Dataset.Load(_dir.Path).Lists.Single();
        Assert.Equal(ListFormat.IdText, list.Format);
        Assert.Equal(["wavs/LJ1.wav", "wavs/LJ2.wav"], list.Entries.Select(e => e.Audio));
        Assert.Equal([3, 4], list.Findings.Select(f => f.Line));
        Assert.All(list.Findings, f => Assert.Equal(FindingCodes.MalformedLine, f.Code));
        Assert.Contains("4 '|'-separated fields", list.Findings[0].Message);
        Assert.Contains("(3 fields, or 2 without the normalized text)", list.Findings[0].Message);
        Assert.Contains("starts with the audio path wavs/LJ4.wav, but this list's lines are `id|text|normalized text`", list.Findings[1].Message);
    }

    [Fact]
    public void The_format_is_the_files_not_the_lines()
    {
        // Mostly ids: the one path-shaped line does not make its own rules.
        File.WriteAllText(_dir["train.txt"], "a|A.\nb|B.\nwavs/c.wav|C.\n");
        var list = Dataset.Load(_dir.Path).Lists.Single();
        Assert.Equal(ListFormat.IdText, list.Format);
        Assert.Equal(3, Assert.Single(list.Findings).Line);
    }

    [Fact]
    public void Missing_audio_names_the_file_that_differs_only_by_letter_case()
    {
        Directory.CreateDirectory(_dir["wavs"]);
        File.Copy(SampleClip(1), _dir["wavs/Case.wav"]);
        File.WriteAllText(_dir["train.txt"], $"wavs/case.wav|{Transcript(1)}\nWAVS/Case.wav|{Transcript(1)}\nwavs/other.wav|{Transcript(2)}\n");

        var report = DatasetCheck.Run(_dir.Path);
        var missing = report.WithCode(FindingCodes.MissingAudio).ToList();
        Assert.Equal(3, missing.Count);
        Assert.Contains("did you mean wavs/Case.wav?", missing[0].Message);
        Assert.Contains("did you mean wavs/Case.wav?", missing[1].Message);
        Assert.DoesNotContain("did you mean", missing[2].Message);
    }

    [Fact]
    public void An_absolute_path_is_shown_as_written()
    {
        using var elsewhere = new TempDir("kit-elsewhere");
        File.Copy(SampleClip(1), elsewhere["Clip.wav"]);
        var absent = elsewhere["absent.wav"];
        var wrongCase = elsewhere["clip.wav"];
        File.WriteAllText(_dir["train.txt"], $"{absent}|{Transcript(1)}\n{wrongCase}|{Transcript(2)}\n");

        var report = DatasetCheck.Run(_dir.Path);
        var missing = report.WithCode(FindingCodes.MissingAudio).ToList();
        Assert.Equal(absent, missing[0].File);
        Assert.StartsWith($"{absent} does not exist", missing[0].Message);
        Assert.DoesNotContain("..", missing[0].Message);
        Assert.Contains($"did you mean {elsewhere["Clip.wav"]}?", missing[1].Message);
        Assert.Equal(absent, report.Entries[0].Audio);
    }
}
