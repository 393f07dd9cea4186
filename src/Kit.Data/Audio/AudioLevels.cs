using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kit.Data.Audio;

/// <summary>Loudness facts about a clip that the dataset check judges: peak, clipping, silence at the ends.</summary>
public sealed record AudioLevels(
    float Peak,
    int ClippedRuns,
    double RmsDb,
    double LeadingSilenceSeconds,
    double TrailingSilenceSeconds)
{
    /// <summary>Full scale, near enough: 16-bit audio clips at 32767/32768.</summary>
    public const float FullScale = 0.999f;
    /// <summary>Consecutive full-scale samples that mean the waveform was flattened, not merely peaked.</summary>
    public const int ClipRunLength = 3;
    /// <summary>A frame is silent when this many dB below the clip's loudest 10 ms frame ...</summary>
    public const double SilenceBelowLoudestDb = 40;
    /// <summary>... or below this absolute level.</summary>
    public const double SilenceFloorDb = -60;

    public double PeakDb => ToDb(Peak);

    public static double ToDb(double amplitude) => amplitude <= 1e-10 ? -200 : 20 * Math.Log10(amplitude);

    /// <summary>The number of interleaved samples in one 10 ms analysis frame.</summary>
    public static int FrameSamples(int channels, int sampleRate) => Math.Max(1, sampleRate / 100) * channels;

    /// <summary>Measures interleaved samples already decoded (see <see cref="LevelMeter"/> to measure while decoding).</summary>
    public static AudioLevels Measure(ReadOnlySpan<float> samples, int channels, int sampleRate)
    {
        var meter = new LevelMeter(channels, sampleRate);
        int frame = FrameSamples(channels, sampleRate);
        for (int i = 0; i < samples.Length; i += frame) meter.Add(samples.Slice(i, Math.Min(frame, samples.Length - i)));
        return meter.Finish();
    }

    /// <summary>Sum of squares and largest magnitude in one vectorised pass.</summary>
    internal static (float Energy, float Peak) EnergyAndPeak(ReadOnlySpan<float> x)
    {
        int i = 0;
        float energy = 0, peak = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            var sum = Vector256<float>.Zero;
            var max = Vector256<float>.Zero;
            ref float start = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                sum += v * v;
                max = Vector256.Max(max, Vector256.Abs(v));
            }
            energy = Vector256.Sum(sum);
            for (int k = 0; k < Vector256<float>.Count; k++) peak = Math.Max(peak, max.GetElement(k));
        }
        for (; i < x.Length; i++)
        {
            energy += x[i] * x[i];
            peak = Math.Max(peak, Math.Abs(x[i]));
        }
        return (energy, peak);
    }

    /// <summary>Continues per-channel runs of full-scale samples across frames; returns the runs completed.</summary>
    internal static int CountClippedRuns(ReadOnlySpan<float> samples, int channels, Span<int> runs)
    {
        // Runs are counted per channel: interleaving would otherwise hide or invent them.
        int count = 0;
        for (int i = 0; i + channels <= samples.Length; i += channels)
            for (int c = 0; c < channels; c++)
            {
                if (Math.Abs(samples[i + c]) < FullScale) runs[c] = 0;
                else if (++runs[c] == ClipRunLength) count++;
            }
        return count;
    }
}
