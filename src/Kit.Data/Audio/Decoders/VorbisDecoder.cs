using NVorbis;

namespace Kit.Data.Audio.Decoders;

/// <summary>
/// OGG Vorbis through NVorbis (managed, MIT): no native library and no process per clip, so it runs the
/// same in the CLI, the trainer and a notebook. DLAS reads OGG through ffmpeg (audio2numpy).
/// </summary>
internal static class VorbisDecoder
{
    public static (AudioInfo Info, AudioClip Clip) Decode(byte[] file, string? path)
    {
        if (IsOpus(file))
            throw new AudioFormatException(path, "OGG Opus is not supported (the kit reads OGG Vorbis); convert it, e.g. sox in.opus out.wav");
        try
        {
            using var vorbis = new VorbisReader(new MemoryStream(file, writable: false), closeOnDispose: true);
            int channels = vorbis.Channels, rate = vorbis.SampleRate;
            var all = new List<float>((int)Math.Clamp(vorbis.TotalSamples * channels, 0, 1 << 28));
            var buffer = new float[4096 * channels];
            int n;
            while ((n = vorbis.ReadSamples(buffer, 0, buffer.Length)) > 0) all.AddRange(buffer.AsSpan(0, n));
            if (rate <= 0 || channels <= 0) throw new AudioFormatException(path, "the Vorbis header is broken");
            var samples = all.ToArray();
            var info = new AudioInfo(AudioContainer.Ogg, "Vorbis", rate, channels, samples.Length / channels, null);
            return (info, new AudioClip(samples, rate, channels));
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new AudioFormatException(path, $"not a readable OGG Vorbis file: {e.Message}", e);
        }
    }

    private static bool IsOpus(byte[] file) =>
        file.Length >= 36 && file.AsSpan(28, 8).SequenceEqual("OpusHead"u8);
}
