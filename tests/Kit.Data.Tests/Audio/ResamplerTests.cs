using System.Globalization;
using System.Runtime.InteropServices;
using Kit.Data.Audio;
using Kit.TestSupport;

namespace Kit.Data.Tests.Audio;

public sealed class ResamplerTests : IDisposable
{
    private readonly TempDir _dir = new("kit-resample");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(22050, 16000)]
    [InlineData(16000, 22050)]
    [InlineData(44100, 22050)]
    [InlineData(48000, 22050)]
    public void Speech_matches_torchaudio(int from, int to)
    {
        var speech = AudioTools.Speak(_dir["speech.wav"], "Resampling must keep every word clear, from 16 to 48 kilohertz.");
        var source = _dir["source.wav"];
        AudioTools.Sox(speech, "-r", from.ToString(CultureInfo.InvariantCulture), "-e", "floating-point", "-b", "32", source);
        var input = WavReader.Read(source).Samples;

        var kit = new Resampler(from, to).Process(input);

        var reference = TorchaudioResample(input, from, to);
        Assert.InRange(kit.Length, reference.Length - 1, reference.Length + 1);
        // Compare away from the ends (the filters' edge handling differs) and below the lower Nyquist band
        // edge: both are band-limited, with different transition bands, so the error is bounded by SNR.
        int n = Math.Min(kit.Length, reference.Length);
        int edge = to / 50;
        double signal = 0, error = 0;
        for (int i = edge; i < n - edge; i++)
        {
            signal += reference[i] * (double)reference[i];
            error += (kit[i] - reference[i]) * (double)(kit[i] - reference[i]);
        }
        double snr = 10 * Math.Log10(signal / error);
        Assert.True(snr > 30, $"{from} -> {to} Hz: {snr:0.0} dB against torchaudio");
    }

    [Fact]
    public void A_tone_above_the_new_nyquist_is_removed_and_one_below_is_kept()
    {
        const int from = 44100, to = 22050;
        var resampler = new Resampler(from, to);
        var above = resampler.Process(Tone(15000, from, 1.0));
        var below = resampler.Process(Tone(1000, from, 1.0));
        double aboveDb = AudioLevels.ToDb(Rms(above[200..^200]) / Rms(Tone(15000, from, 1.0)));
        double belowDb = AudioLevels.ToDb(Rms(below[200..^200]) / Rms(Tone(1000, from, 1.0)));
        // Linear interpolation would fold 15 kHz down to 7.05 kHz at almost full level.
        Assert.True(aboveDb < -60, $"15 kHz leaks through at {aboveDb:0.0} dB");
        Assert.InRange(belowDb, -0.1, 0.1);
    }

    [Fact]
    public void Same_rate_is_a_copy_and_lengths_follow_the_ratio()
    {
        var tone = Tone(440, 22050, 0.25);
        Assert.Equal(tone, new Resampler(22050, 22050).Process(tone));
        Assert.Equal(16000, new Resampler(22050, 16000).Process(new float[22050]).Length);
        var clip = new AudioClip(Tone(440, 44100, 0.5), 44100).ResampleTo(22050);
        Assert.Equal((22050, 11025), (clip.SampleRate, clip.FrameCount));
    }

    private static float[] TorchaudioResample(float[] input, int from, int to)
    {
        var dir = Path.Combine(Path.GetTempPath(), "kit-ta-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var inPath = Path.Combine(dir, "in.f32");
            var outPath = Path.Combine(dir, "out.f32");
            File.WriteAllBytes(inPath, MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
            ReferencePython.Run("""
                import sys, numpy as np, torch, torchaudio.functional as F
                x = torch.from_numpy(np.fromfile(sys.argv[1], dtype=np.float32))
                y = F.resample(x, int(sys.argv[3]), int(sys.argv[4]), lowpass_filter_width=32, rolloff=0.95,
                               resampling_method="kaiser_window", beta=9.0)
                y.numpy().astype(np.float32).tofile(sys.argv[2])
                """, inPath, outPath, from.ToString(CultureInfo.InvariantCulture), to.ToString(CultureInfo.InvariantCulture));
            return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outPath)).ToArray();
        }
        finally { Directory.Delete(dir, true); }
    }

    private static float[] Tone(double hz, int rate, double seconds) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    private static double Rms(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (var v in x) s += v * (double)v;
        return Math.Sqrt(s / x.Length);
    }
}
