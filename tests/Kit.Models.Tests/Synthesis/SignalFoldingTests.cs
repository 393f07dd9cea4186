using Kit.Data.Audio;
using Kit.Models.Features;
using Kit.Models.Signal;
using Kit.Models.Synthesis;
using Kit.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Synthesis;

/// <summary>
/// WaveRNN synthesis in folds against synthesis of the whole clip in one sequence, on a real clip's mel: an
/// untrained model's output is noise whose level follows the mel, so a dip or bump where folds are cross-faded
/// shows against the unfolded output's level over the same samples.
/// </summary>
public class SignalFoldingTests
{
    private static readonly MelSettings Mel = new();

    [Fact]
    public void Folded_synthesis_keeps_its_level_through_every_join_and_matches_unfolded_synthesis()
    {
        var source = SampleDatasets.Get();
        var clip = File.ReadAllLines(Path.Combine(source, "train.txt")).Select(l => Path.Combine(source, l.Split('|')[0]))
            .OrderBy(p => new FileInfo(p).Length).First();
        using var logMel = new LogMelSpectrogram(Mel);
        using var mel = logMel.Compute(WavReader.Read(clip));
        manual_seed(5);
        using var model = new WaveRnnModel(Mel.NMels, Mel.HopLength, Math.Log(Mel.LogFloor), SignalModelSize.Tiny);
        model.eval();
        var config = new SignalModelConfig { Size = SignalModelSize.Tiny, Mel = Mel };
        var folding = new SignalFolding { FoldFrames = 6, OverlapFrames = 2 };
        using var folded = new SignalSynthesizer(model, config, CPU, ownsModel: false) { Folding = folding };
        using var whole = new SignalSynthesizer(model, config, CPU, ownsModel: false) { Folding = SignalFolding.Off };
        var foldedAudio = folded.Synthesize([mel])[0];
        var wholeAudio = whole.Synthesize([mel])[0];

        var frames = (int)mel.shape[1];
        Assert.Equal(frames * Mel.HopLength, foldedAudio.Length);
        Assert.Equal(frames * Mel.HopLength, wholeAudio.Length);
        double level = Rms(foldedAudio, 0, foldedAudio.Length), wholeLevel = Rms(wholeAudio, 0, wholeAudio.Length);
        Assert.InRange(level / wholeLevel, 0.85, 1.15);

        // Fold i + 1 starts every stride samples; its overlap's second half is where the two are cross-faded.
        int overlap = folding.OverlapFrames * Mel.HopLength, stride = (folding.FoldFrames + folding.OverlapFrames) * Mel.HopLength;
        var levels = new List<(int At, double Handover, double Fade)>();
        for (var start = stride; start + overlap <= foldedAudio.Length; start += stride)
        {
            // Against the whole clip's synthesis over the same samples (the level follows the mel): around the
            // middle of the overlap, where the earlier fold hands over, and over the fade.
            int middle = start + overlap / 2, quarter = overlap / 4;
            levels.Add((middle, Rms(foldedAudio, middle - quarter / 2, quarter) / Rms(wholeAudio, middle - quarter / 2, quarter),
                Rms(foldedAudio, middle, overlap / 2) / Rms(wholeAudio, middle, overlap / 2)));
        }
        Assert.True(levels.Count >= 5, $"the clip gave only {levels.Count} joins");
        var off = levels.Where(l => l.Handover is < 0.75 or > 1.33 || l.Fade is < 0.75 or > 1.33).ToArray();
        Assert.True(off.Length == 0, "joins change the level: " + string.Join("; ", off.Select(l => $"at sample {l.At}: {l.Handover:0.00} at the handover, {l.Fade:0.00} over the fade")));
    }

    private static double Rms(float[] x, int start, int length) =>
        Math.Sqrt(x.Skip(start).Take(length).Average(s => (double)s * s));

    [Fact]
    public void Gumbel_max_draws_follow_the_softmax()
    {
        manual_seed(6);
        const int rows = 50_000, classes = 8;
        using var logits = randn(classes) * 2;
        using var ids = GumbelMax.Draw(logits.expand(rows, classes).clone(), GumbelMax.Noise([rows, classes]));
        var counts = ids.flatten().bincount(null, classes).data<long>().ToArray();
        var expected = logits.softmax(0).data<float>().Select(p => p * (double)rows).ToArray();
        var chiSquare = counts.Zip(expected, (o, e) => (o - e) * (o - e) / e).Sum();
        // 7 degrees of freedom: above 24.3 happens by chance once in 1,000 seeds.
        Assert.True(chiSquare < 24.3, $"draws {string.Join(",", counts)} against expected {string.Join(",", expected.Select(e => e.ToString("0")))}: chi-square {chiSquare:0.0}");
    }
}
