using System.Globalization;
using Kit.Data.Audio;
using Kit.TestSupport;
using Kit.Training.Metrics;

namespace Kit.Cli.Tests;

/// <summary>
/// `kit bench voice` end to end on a small budget: real espeak-ng clips, real `kit params` and `kit train`
/// (four steps, a validation every two), the held-out sentences spoken with Griffin-Lim. The word error rate
/// needs pocketsphinx; the test passes with or without it and checks whichever line the bench printed.
/// </summary>
public sealed class VoiceBenchmarkTests : IDisposable
{
    private readonly TempDir _dir = new("kit-bench-voice");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Bench_voice_prints_each_validation_writes_the_curve_and_speaks_the_held_out_sentences()
    {
        var folder = _dir["voice"];
        var (code, stdout, stderr) = KitCli.Run(
            "bench", "voice", "--clips", "20", "--held-out", "2", "--max-steps", "4", "--validate-every", "2", "--out", folder);
        Assert.True(code == 0, stdout + stderr);

        // The table: a header, then one row per validation in metrics.jsonl, in order, with its step first.
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        var header = lines.FindIndex(l => l.TrimStart().StartsWith("step", StringComparison.Ordinal) && l.Contains("minutes"));
        Assert.True(header >= 0, stdout);
        Assert.Contains("tf loss", lines[header]);
        var validations = MetricsLog.Read(Path.Combine(folder, "run", MetricsLog.FileName)).Where(r => r.Kind == "validation").ToList();
        Assert.Equal([2L, 4L], validations.Select(v => v.Step));
        for (var i = 0; i < validations.Count; i++)
        {
            var cells = lines[header + 1 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(validations[i].Step.ToString(CultureInfo.InvariantCulture), cells[0]);
            var loss = validations[i].Values["dev_epoch/loss"];
            Assert.True(double.IsFinite(loss) && loss > 0, $"validation loss {loss}");
            Assert.Contains(loss.ToString("0.0000", CultureInfo.InvariantCulture), cells);
        }
        var tsv = File.ReadAllLines(Path.Combine(folder, "validations.tsv"));
        Assert.Equal(3, tsv.Length);
        Assert.Contains("dev_epoch/loss", tsv[0].Split('\t'));

        var png = File.ReadAllBytes(Path.Combine(folder, "curve.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        // Both held-out sentences, spoken by the model and round-tripped from the real recording, as 22,050 Hz audio.
        foreach (var name in new[] { "spoken-001", "spoken-002", "real-griffin-lim-001", "real-griffin-lim-002" })
        {
            var info = WavReader.Probe(Path.Combine(folder, "speech", name + ".wav"));
            Assert.Equal(22050, info.SampleRate);
            Assert.True(info.DurationSeconds > 0, name);
        }
        var real = WavReader.Probe(Path.Combine(folder, "speech", "real-griffin-lim-001.wav")).DurationSeconds;
        Assert.InRange(real, 1.0, 10.0); // a Harvard sentence spoken, not an empty or truncated file

        var wer = lines.Single(l => l.StartsWith("word error rate", StringComparison.Ordinal));
        if (wer.Contains("skipped")) Assert.False(File.Exists(Path.Combine(folder, "recognized.tsv")));
        else
        {
            Assert.Matches(@"spoken \d+(\.\d)?%, real recordings through the same Griffin-Lim \d+(\.\d)?%", wer);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "recognized.tsv")).Length);
        }
    }
}
