using Kit.Data.Audio.Decoders;

namespace Kit.Data.Audio;

/// <summary>
/// The kit's one way to read an audio file: the check, the features, the trainers and the notebook players
/// all come here. It reads what DLAS's load_audio trains on: WAV (the kit's own reader), MP3 (NLayer),
/// FLAC (the kit's decoder: no managed one is served) and OGG Vorbis (NVorbis). The format is taken from
/// the file's first bytes, not its name, so a mislabelled clip still reads. Anything else, or a broken
/// file, is an <see cref="AudioFormatException"/> whose reason names the problem.
/// </summary>
public static class AudioFile
{
    /// <summary>The file names the kit treats as audio (list files name clips by these).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".wav", ".mp3", ".flac", ".ogg"];

    /// <summary>The format, rate, channels and length of a file. A WAV's header is read alone; a compressed clip is decoded.</summary>
    public static AudioInfo Probe(string path)
    {
        if (Sniff(ReadStart(path), path) == AudioContainer.Wav) return AudioInfo.FromWav(WavReader.Probe(path));
        return Decode(ReadAll(path), path).Info;
    }

    /// <summary>Decodes a whole file to samples in [-1, 1].</summary>
    public static AudioClip Read(string path) => Decode(ReadAll(path), path).Clip;

    /// <summary>Decodes a file already in memory (<paramref name="path"/> only names it in errors).</summary>
    public static (AudioInfo Info, AudioClip Clip) Decode(byte[] file, string? path = null)
    {
        var container = Sniff(file, path);
        if (container == AudioContainer.Wav)
        {
            var (wav, clip) = WavReader.DecodeWithInfo(file, path);
            return (AudioInfo.FromWav(wav), clip);
        }
        try
        {
            return container switch
            {
                AudioContainer.Mp3 => Mp3Decoder.Decode(file, path),
                AudioContainer.Flac => FlacDecoder.Decode(file, SkipId3(file), path),
                _ => VorbisDecoder.Decode(file, path),
            };
        }
        catch (Exception e) when (e is not (AudioFormatException or OutOfMemoryException))
        {
            // A damaged clip can trip any decoder in its own way: it is an unreadable clip, never a crash.
            throw new AudioFormatException(path, $"the {container.ToString().ToUpperInvariant()} data is damaged ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>The MIME type a browser plays a file of this format by.</summary>
    public static string MimeType(AudioContainer container) => container switch
    {
        AudioContainer.Wav => "audio/wav",
        AudioContainer.Mp3 => "audio/mpeg",
        AudioContainer.Flac => "audio/flac",
        _ => "audio/ogg",
    };

    /// <summary>The container from a file's first bytes.</summary>
    public static AudioContainer Sniff(ReadOnlySpan<byte> start, string? path = null)
    {
        if (start.Length == 0) throw new AudioFormatException(path, "the file is empty");
        if (start.StartsWith("RIFF"u8) || start.StartsWith("RIFX"u8) || start.StartsWith("RF64"u8)) return AudioContainer.Wav;
        if (start.StartsWith("OggS"u8)) return AudioContainer.Ogg;
        int at = SkipId3(start);
        var rest = start[Math.Min(at, start.Length)..];
        if (rest.StartsWith("fLaC"u8)) return AudioContainer.Flac;
        // An MPEG audio frame: 11 sync bits, then layer bits that are not the reserved 00.
        if (rest.Length >= 2 && rest[0] == 0xFF && (rest[1] & 0xE0) == 0xE0 && (rest[1] & 0x06) != 0) return AudioContainer.Mp3;
        if (at > 0) return AudioContainer.Mp3; // an ID3 tag longer than the bytes looked at: MP3 in practice
        throw new AudioFormatException(path, $"not a WAV, MP3, FLAC or OGG Vorbis file ({Describe(start)})");
    }

    /// <summary>Where the audio starts after an ID3v2 tag (MP3s and some FLACs carry one); 0 when there is none.</summary>
    internal static int SkipId3(ReadOnlySpan<byte> file)
    {
        if (file.Length < 10 || !file.StartsWith("ID3"u8)) return 0;
        // A synchsafe size: 7 bits a byte; a footer adds 10 more bytes.
        int size = (file[6] & 0x7F) << 21 | (file[7] & 0x7F) << 14 | (file[8] & 0x7F) << 7 | (file[9] & 0x7F);
        return 10 + size + ((file[5] & 0x10) != 0 ? 10 : 0);
    }

    private static string Describe(ReadOnlySpan<byte> start)
    {
        if (start.Length >= 8 && start[4..8].SequenceEqual("ftyp"u8)) return "it looks like MP4/M4A; convert it, e.g. to WAV";
        if (start.Length >= 4 && start[..4].SequenceEqual("FORM"u8)) return "it looks like AIFF; convert it, e.g. sox in.aiff out.wav";
        var head = start[..Math.Min(4, start.Length)];
        return $"it starts with bytes {Convert.ToHexString(head)}";
    }

    private static byte[] ReadStart(string path)
    {
        var buffer = new byte[4096];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            int total = 0, n;
            while (total < buffer.Length && (n = stream.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Unopenable(path, e); }
    }

    private static byte[] ReadAll(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw Unopenable(path, e); }
    }

    private static AudioFormatException Unopenable(string path, Exception e) =>
        new(path, e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : $"cannot be opened: {e.Message}", e);
}
