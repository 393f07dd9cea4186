using System.Globalization;
using Kit.Data.Audio;
using Kit.Models.Features;
using Kit.Models.Metrics;
using Kit.Models.Spectrogram;
using Kit.TestSupport;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Metrics;

/// <summary>MCD-DTW on real clips (the espeak-ng sample dataset's), against an independent numpy implementation of the README's definition.</summary>
public class MelCepstralDistortionTests
{
    /// <summary>
    /// The definition written again in numpy: the orthonormal DCT-II (rows 1..13) scaled by 1/sqrt(2M) to the
    /// cepstrum's scale, (10/ln10)·sqrt(2·Σ), DTW, mean over the path.
    /// </summary>
    private const string Reference = """
        import sys, numpy as np
        def load(path, frames, mels):
            return np.fromfile(path, dtype='<f8').reshape(frames, mels)
        def mcd(a, b, k=13):
            m = a.shape[1]
            rows = np.arange(1, k + 1)[:, None]
            basis = np.sqrt(2.0 / m) * np.cos(np.pi * rows * (np.arange(m)[None, :] + 0.5) / m) / np.sqrt(2.0 * m)
            ca, cb = a @ basis.T, b @ basis.T
            d = 10.0 / np.log(10.0) * np.sqrt(2.0 * ((ca[:, None, :] - cb[None, :, :]) ** 2).sum(-1))
            n, p = d.shape
            acc = np.full((n + 1, p + 1), np.inf)
            acc[0, 0] = 0.0
            for i in range(1, n + 1):
                for j in range(1, p + 1):
                    acc[i, j] = d[i - 1, j - 1] + min(acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1])
            i, j, length = n, p, 1
            while (i, j) != (1, 1):
                step = int(np.argmin([acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]]))
                i, j = [(i - 1, j - 1), (i - 1, j), (i, j - 1)][step]
                length += 1
            return acc[n, p] / length
        args = sys.argv[1:]
        for q in range(0, len(args), 6):
            a = load(args[q], int(args[q + 1]), int(args[q + 2]))
            b = load(args[q + 3], int(args[q + 4]), int(args[q + 5]))
            print(repr(mcd(a, b)))
        """;

    private static readonly MelSettings Mel = MelSettings.Tiny;

    private static Tensor LogMel(string wav)
    {
        using var mels = new LogMelSpectrogram(Mel);
        return mels.Compute(AudioFile.Read(wav));
    }

    private static string[] Clips(int count)
    {
        var folder = SampleDatasets.Get();
        return File.ReadAllLines(Path.Combine(folder, "train.txt")).Take(count).Select(l => Path.Combine(folder, l.Split('|')[0])).ToArray();
    }

    /// <summary>The same spectrogram stretched in time by linear interpolation between frames.</summary>
    private static Tensor Stretched(Tensor logMel, double factor) =>
        nn.functional.interpolate(logMel.unsqueeze(0), size: [(long)(logMel.shape[1] * factor)], mode: InterpolationMode.Linear, align_corners: true).squeeze(0);

    [Fact]
    public void Matches_an_independent_numpy_implementation_on_real_clips()
    {
        using var dir = new TempDir();
        var clips = Clips(3);
        using var a = LogMel(clips[0]);
        using var b = LogMel(clips[1]);
        using var c = LogMel(clips[2]);
        using var stretched = Stretched(a, 1.3);
        (Tensor, Tensor)[] pairs = [(a, b), (b, c), (a, stretched), (c, a)];
        var args = new List<string>();
        var n = 0;
        foreach (var (x, y) in pairs)
            foreach (var t in new[] { x, y })
            {
                var path = dir[$"mel{n++}.f64"];
                using var frames = t.t().to(float64).contiguous();
                File.WriteAllBytes(path, frames.bytes.ToArray());
                args.AddRange([path, t.shape[1].ToString(CultureInfo.InvariantCulture), t.shape[0].ToString(CultureInfo.InvariantCulture)]);
            }
        var theirs = ReferencePython.Run(Reference, [.. args]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(pairs.Length, theirs.Length);
        for (var i = 0; i < pairs.Length; i++)
        {
            var ours = MelCepstralDistortion.Between(pairs[i].Item1, pairs[i].Item2);
            Assert.True(Math.Abs(ours - theirs[i]) < 1e-9 * theirs[i], $"pair {i}: ours {ours:R} dB, numpy {theirs[i]:R} dB");
        }
    }

    [Fact]
    public void Is_zero_for_the_same_clip_small_for_a_stretched_copy_and_large_for_another_sentence()
    {
        var clips = Clips(2);
        using var a = LogMel(clips[0]);
        using var b = LogMel(clips[1]);
        using var slower = Stretched(a, 1.3);
        using var faster = Stretched(a, 0.8);
        Assert.Equal(0, MelCepstralDistortion.Between(a, a));
        var stretch = Math.Max(MelCepstralDistortion.Between(a, slower), MelCepstralDistortion.Between(faster, a));
        var other = MelCepstralDistortion.Between(a, b);
        Assert.True(stretch < 1, $"a time-stretched copy is {stretch:F2} dB away");
        Assert.True(other > 3 && other > 5 * stretch, $"another sentence is {other:F2} dB away (a stretched copy {stretch:F2} dB)");
    }
}
