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

    /// <summary>
    /// Measures interleaved samples: one vectorised pass over 10 ms frames for energy and peak; a scan for
    /// flattened runs only when the peak reaches full scale.
    /// </summary>
    public static AudioLevels Measure(ReadOnlySpan<float> samples, int channels, int sampleRate)
    {
        if (samples.IsEmpty) return new AudioLevels(0, 0, -200, 0, 0);
        int frameSamples = Math.Max(1, sampleRate / 100) * channels;
        int frames = samples.Length / frameSamples;
        var frameEnergy = frames <= 4096 ? stackalloc float[frames] : new float[frames];
        float loudest = 0, peak = 0;
        double sumSquares = 0;
        for (int f = 0; f < frames; f++)
        {
            var (e, framePeak) = EnergyAndPeak(samples.Slice(f * frameSamples, frameSamples));
            sumSquares += e;
            frameEnergy[f] = e / frameSamples;
            if (frameEnergy[f] > loudest) loudest = frameEnergy[f];
            if (framePeak > peak) peak = framePeak;
        }
        var (tailEnergy, tailPeak) = EnergyAndPeak(samples[(frames * frameSamples)..]);
        sumSquares += tailEnergy;
        peak = Math.Max(peak, tailPeak);
        double rmsDb = 10 * Math.Log10(Math.Max(sumSquares / samples.Length, 1e-20));
        int clippedRuns = peak >= FullScale ? CountClippedRuns(samples, channels) : 0;

        double threshold = Math.Max(loudest * Math.Pow(10, -SilenceBelowLoudestDb / 10), Math.Pow(10, SilenceFloorDb / 10));
        int lead = 0;
        while (lead < frames && frameEnergy[lead] < threshold) lead++;
        int trail = 0;
        while (trail < frames - lead && frameEnergy[frames - 1 - trail] < threshold) trail++;
        double frameSeconds = (double)frameSamples / channels / sampleRate;
        return new AudioLevels(peak, clippedRuns, rmsDb, lead * frameSeconds, trail * frameSeconds);
    }

    /// <summary>Sum of squares and largest magnitude in one vectorised pass.</summary>
    private static (float Energy, float Peak) EnergyAndPeak(ReadOnlySpan<float> x)
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

    private static int CountClippedRuns(ReadOnlySpan<float> samples, int channels)
    {
        // Runs are counted per channel: interleaving would otherwise hide or invent them.
        Span<int> runs = channels <= 64 ? stackalloc int[channels] : new int[channels];
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
