namespace Kit.Data.Audio;

/// <summary>The containers the kit reads: the formats DLAS's load_audio trains on.</summary>
public enum AudioContainer
{
    Wav,
    Mp3,
    Flac,
    Ogg,
}

/// <summary>
/// What an audio file holds, whatever its format: container and codec, rate, channels and length.
/// <see cref="BitsPerSample"/> is the stored sample size for WAV and FLAC, and null for the lossy codecs,
/// which have none.
/// </summary>
public sealed record AudioInfo(
    AudioContainer Container,
    string Codec,
    int SampleRate,
    int Channels,
    long FrameCount,
    int? BitsPerSample)
{
    public double DurationSeconds => SampleRate > 0 ? (double)FrameCount / SampleRate : 0;

    /// <summary>Container and codec as the check's summary counts them: "WAV 16-bit PCM", "MP3", "FLAC 24-bit", "OGG Vorbis".</summary>
    public string Format => Container switch
    {
        AudioContainer.Wav => $"WAV {Codec}",
        AudioContainer.Mp3 => "MP3",
        _ => $"{Container.ToString().ToUpperInvariant()} {Codec}",
    };

    /// <summary>8-bit integer samples: audible quantisation noise.</summary>
    public bool IsLowBitDepth => BitsPerSample == 8;

    public static AudioInfo FromWav(WavInfo wav) => new(AudioContainer.Wav,
        $"{wav.BitsPerSample}-bit {(wav.Encoding == SampleEncoding.Float ? "float" : "PCM")}", wav.SampleRate, wav.Channels, wav.FrameCount, wav.BitsPerSample);
}
