using Kit.Data.Audio;
using Kit.Data.Samples;
using Kit.TestSupport;

namespace Kit.Data.Tests.Samples;

public sealed class SampleDatasetTests
{
    [Fact]
    public void The_sample_is_ljspeech_format_22050_hz_16_bit_mono()
    {
        var root = SampleDatasets.Get();
        var metadata = File.ReadAllLines(Path.Combine(root, "metadata.csv"));
        Assert.Equal(24, metadata.Length);
        foreach (var line in metadata)
        {
            var fields = line.Split('|');
            Assert.Equal(3, fields.Length);
            var info = WavReader.Probe(Path.Combine(root, "wavs", fields[0] + ".wav"));
            Assert.Equal((22050, 1, 16, SampleEncoding.Pcm), (info.SampleRate, info.Channels, info.BitsPerSample, info.Encoding));
            Assert.InRange(info.DurationSeconds, 0.6, 11.6);
        }
        var train = File.ReadAllLines(Path.Combine(root, "train.txt"));
        var val = File.ReadAllLines(Path.Combine(root, "val.txt"));
        Assert.Equal(24, train.Length + val.Length);
        Assert.NotEmpty(val);
        Assert.All(train.Concat(val), l => Assert.Matches(@"^wavs/kit-\d{4}\.wav\|\S", l));
        Assert.Empty(train.Intersect(val));
    }

    [Fact]
    public async Task The_same_clip_count_makes_the_same_files()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        await SampleDataset.CreateAsync(a.Path, 3);
        await SampleDataset.CreateAsync(b.Path, 3);
        foreach (var file in Directory.GetFiles(a.Path, "*", SearchOption.AllDirectories))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(b.Path, Path.GetRelativePath(a.Path, file))));
    }

    [Fact]
    public void The_shipped_sentences_are_varied_and_give_work_to_the_normalizer()
    {
        var all = SampleSentences.All;
        Assert.True(all.Count >= 200, $"{all.Count} sentences");
        Assert.Equal(all.Count, all.Select(s => s.Text).Distinct().Count());
        Assert.Contains(all, s => s.Text.Any(char.IsDigit));
        Assert.Contains(all, s => s.Text != s.Normalized);
        Assert.All(all, s => Assert.DoesNotContain(s.Normalized, c => char.IsDigit(c)));
        // Past the shipped sentences, transcripts stay distinct.
        Assert.NotEqual(SampleDataset.Sentence(0).Text, SampleDataset.Sentence(all.Count).Text);
    }
}
