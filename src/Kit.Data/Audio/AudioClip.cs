namespace Kit.Data.Audio;

/// <summary>
/// Decoded audio: interleaved samples in [-1, 1] (frame-major: all channels of frame 0, then frame 1, ...).
/// </summary>
public sealed class AudioClip
{
    public float[] Samples { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    public AudioClip(float[] samples, int sampleRate, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (sampleRate <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), "the sample rate must be positive");
        if (channels <= 0) throw new ArgumentOutOfRangeException(nameof(channels), "there must be at least one channel");
        if (samples.Length % channels != 0)
            throw new ArgumentException($"{samples.Length} samples do not divide into {channels} channels", nameof(samples));
        Samples = samples;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public int FrameCount => Samples.Length / Channels;

    public double DurationSeconds => (double)FrameCount / SampleRate;

    /// <summary>One channel's samples as a new array.</summary>
    public float[] Channel(int index)
    {
        if ((uint)index >= (uint)Channels) throw new ArgumentOutOfRangeException(nameof(index));
        if (Channels == 1) return (float[])Samples.Clone();
        var result = new float[FrameCount];
        for (int f = 0, i = index; f < result.Length; f++, i += Channels) result[f] = Samples[i];
        return result;
    }

    /// <summary>
    /// The first channel, the way the trainer reads audio (DLAS keeps only channel 0); the same instance when
    /// already mono.
    /// </summary>
    public AudioClip FirstChannel() => Channels == 1 ? this : new AudioClip(Channel(0), SampleRate);

    /// <summary>This clip at another sample rate (band-limited; see <see cref="Resampler"/>).</summary>
    public AudioClip ResampleTo(int sampleRate)
    {
        if (sampleRate == SampleRate) return this;
        var resampler = new Resampler(SampleRate, sampleRate);
        if (Channels == 1) return new AudioClip(resampler.Process(Samples), sampleRate);
        float[][] channels = new float[Channels][];
        for (int c = 0; c < Channels; c++) channels[c] = resampler.Process(Channel(c));
        int frames = channels[0].Length;
        var interleaved = new float[frames * Channels];
        for (int f = 0; f < frames; f++)
            for (int c = 0; c < Channels; c++) interleaved[f * Channels + c] = channels[c][f];
        return new AudioClip(interleaved, sampleRate, Channels);
    }
}
