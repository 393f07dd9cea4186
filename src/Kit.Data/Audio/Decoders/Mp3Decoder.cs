using NLayer;

namespace Kit.Data.Audio.Decoders;

/// <summary>
/// MP3 through NLayer (managed, MIT, MPEG-1/2/2.5 layers I-III): no native library and no process per clip,
/// so it runs the same in the CLI, the trainer and a notebook. DLAS reads MP3 with its own decoder too
/// (pyfastmp3decoder, i.e. minimp3), not through ffmpeg.
/// The encoder's delay and padding that LAME records in its Info tag are trimmed, as gapless decoders
/// (mpg123, minimp3) do, so a clip is as long as the WAV it was encoded from and starts where it did.
/// NLayer trims them itself but leaves the decoder's own 529-sample delay in, cutting the clip's last 529
/// samples and starting it 24 ms early at 22,050 Hz: so it is handed a copy with the tag's figures zeroed,
/// and the trimming is done here. An MP3 without the tag (LAME leaves it out of low-bitrate CBR files, whose
/// frames are too small for it) keeps the encoder's delay and padding, as in every other decoder.
/// </summary>
internal static class Mp3Decoder
{
    /// <summary>Every layer III decoder's synthesis filter delays the output by this many samples.</summary>
    private const int DecoderDelay = 529;

    public static (AudioInfo Info, AudioClip Clip) Decode(byte[] file, string? path)
    {
        float[] decoded;
        int rate, channels;
        var gap = LameGap(file);
        var input = file;
        if (gap is not null)
        {
            input = (byte[])file.Clone();
            input.AsSpan(gap.Value.At, 3).Clear();
        }
        try
        {
            using var mpeg = new MpegFile(new MemoryStream(input, writable: false));
            rate = mpeg.SampleRate;
            channels = mpeg.Channels;
            var all = new List<float>(file.Length * 8);
            var buffer = new float[1152 * 2 * 8];
            int n;
            while ((n = mpeg.ReadSamples(buffer, 0, buffer.Length)) > 0) all.AddRange(buffer.AsSpan(0, n));
            decoded = all.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new AudioFormatException(path, $"not a readable MP3 file: {e.Message}", e);
        }
        if (rate <= 0 || channels <= 0 || decoded.Length == 0)
            throw new AudioFormatException(path, "no MP3 audio frames: the file is damaged or not MP3");

        long frames = decoded.Length / channels;
        if (gap is var (delay, padding, _))
        {
            long skip = Math.Min(frames, delay + DecoderDelay);
            long keep = Math.Clamp(frames - delay - padding, 0, frames - skip);
            decoded = decoded.AsSpan((int)(skip * channels), (int)(keep * channels)).ToArray();
            frames = keep;
        }
        var info = new AudioInfo(AudioContainer.Mp3, "MP3", rate, channels, frames, null);
        return (info, new AudioClip(decoded, rate, channels));
    }

    /// <summary>
    /// The encoder delay and padding from a LAME (or LAME-compatible) Info/Xing tag in the first frame, or
    /// null when the file has none (then nothing is trimmed).
    /// </summary>
    internal static (int Delay, int Padding, int At)? LameGap(byte[] file)
    {
        int at = AudioFile.SkipId3(file);
        // The first frame header: 11 sync bits, version, layer, ...
        if (at + 4 > file.Length || file[at] != 0xFF || (file[at + 1] & 0xE0) != 0xE0) return null;
        int version = (file[at + 1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
        bool mono = (file[at + 3] >> 6) == 3;
        int sideInfo = version == 3 ? (mono ? 17 : 32) : (mono ? 9 : 17);
        int tag = at + 4 + sideInfo;
        if (tag + 8 > file.Length) return null;
        var id = System.Text.Encoding.ASCII.GetString(file, tag, 4);
        if (id is not ("Xing" or "Info")) return null;
        int flags = (file[tag + 4] << 24) | (file[tag + 5] << 16) | (file[tag + 6] << 8) | file[tag + 7];
        int lame = tag + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0) + ((flags & 8) != 0 ? 4 : 0);
        // The LAME extension: a 9-byte encoder string, then 12 bytes of settings, then delay and padding (12 bits each).
        if (lame + 24 > file.Length) return null;
        int d = lame + 21;
        int delay = (file[d] << 4) | (file[d + 1] >> 4);
        int padding = ((file[d + 1] & 0x0F) << 8) | file[d + 2];
        return (delay, padding, d);
    }
}
