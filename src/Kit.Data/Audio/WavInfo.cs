namespace Kit.Data.Audio;

/// <summary>How samples are stored in a WAV file.</summary>
public enum SampleEncoding
{
    /// <summary>Integer PCM: 8-bit unsigned, 16/24/32-bit signed little-endian.</summary>
    Pcm,
    /// <summary>IEEE float, 32 or 64 bits.</summary>
    Float,
}

/// <summary>
/// What a WAV header says, read without decoding the samples: enough for duration and format checks on
/// thousands of files without touching their audio.
/// </summary>
public sealed record WavInfo(
    int SampleRate,
    int Channels,
    int BitsPerSample,
    SampleEncoding Encoding,
    bool Extensible,
    long FrameCount,
    long DataOffset,
    long DataLength)
{
    public int BytesPerSample => BitsPerSample / 8;

    public int BlockAlign => BytesPerSample * Channels;

    public double DurationSeconds => SampleRate > 0 ? (double)FrameCount / SampleRate : 0;

    /// <summary>A short description, e.g. "22050 Hz, 16-bit PCM, mono".</summary>
    public string Describe() =>
        $"{SampleRate} Hz, {BitsPerSample}-bit {(Encoding == SampleEncoding.Float ? "float" : "PCM")}, " +
        (Channels == 1 ? "mono" : Channels == 2 ? "stereo" : $"{Channels} channels");
}
