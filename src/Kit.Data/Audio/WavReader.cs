using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace Kit.Data.Audio;

/// <summary>
/// Reads WAV files: <see cref="Probe(string)"/> reads only the header (duration, rate, channels, format);
/// <see cref="Read(string)"/> decodes the samples to floats. PCM 8/16/24/32-bit and IEEE float 32/64,
/// plain or WAVE_FORMAT_EXTENSIBLE, any channel count and rate. Anything else, or a file cut short, is a
/// <see cref="WavFormatException"/>.
/// </summary>
public static class WavReader
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    // The tail every standard KSDATAFORMAT_SUBTYPE GUID shares; its first two bytes are the format tag.
    private static ReadOnlySpan<byte> SubtypeTail =>
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>Reads the header of a WAV file without decoding its samples.</summary>
    public static WavInfo Probe(string path)
    {
        using var stream = OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Decodes a whole WAV file.</summary>
    public static AudioClip Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WavFormatException(path, $"cannot be opened: {e.Message}", e);
        }
        return Decode(bytes, path);
    }

    /// <summary>Decodes a WAV file already in memory (<paramref name="path"/> only names it in errors).</summary>
    public static AudioClip Decode(byte[] file, string? path = null)
    {
        var info = ReadHeader(new MemoryStream(file, writable: false), path);
        return DecodeData(file.AsSpan((int)info.DataOffset, (int)info.DataLength), info);
    }

    /// <summary>Decodes the header and samples of a WAV file already in memory.</summary>
    public static (WavInfo Info, AudioClip Clip) DecodeWithInfo(byte[] file, string? path = null)
    {
        var info = ReadHeader(new MemoryStream(file, writable: false), path);
        return (info, DecodeData(file.AsSpan((int)info.DataOffset, (int)info.DataLength), info));
    }

    /// <summary>Reads the RIFF chunks up to the start of the data; the stream must be seekable.</summary>
    public static WavInfo ReadHeader(Stream stream, string? path = null)
    {
        long fileLength = stream.Length;
        Span<byte> head = stackalloc byte[12];
        if (ReadFully(stream, head) < 12)
            throw new WavFormatException(path, fileLength == 0 ? "the file is empty" : $"the file is too short to be a WAV file ({fileLength} bytes)");
        if (!head[..4].SequenceEqual("RIFF"u8))
        {
            var reason = head[..4].SequenceEqual("RIFX"u8) ? "big-endian RIFX WAV files are not supported"
                : head[..4].SequenceEqual("RF64"u8) ? "RF64 (over 4 GB) WAV files are not supported"
                : "not a WAV file (no RIFF header)";
            throw new WavFormatException(path, reason);
        }
        if (!head[8..12].SequenceEqual("WAVE"u8))
            throw new WavFormatException(path, "a RIFF file but not WAVE audio");

        Span<byte> chunkHeader = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[40];
        int fmtLength = -1;
        while (true)
        {
            long chunkStart = stream.Position;
            if (ReadFully(stream, chunkHeader) < 8)
                throw new WavFormatException(path, fmtLength < 0 ? "no 'fmt ' chunk: the header is broken or cut short" : "no 'data' chunk: the file is cut short or holds no audio");
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunkHeader[4..]);
            var id = chunkHeader[..4];
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16) throw new WavFormatException(path, $"the 'fmt ' chunk is {size} bytes, too short");
                int toRead = (int)Math.Min(size, (uint)fmt.Length);
                if (ReadFully(stream, fmt[..toRead]) < toRead) throw new WavFormatException(path, "the file ends inside the 'fmt ' chunk");
                fmtLength = toRead;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (fmtLength < 0) throw new WavFormatException(path, "the 'data' chunk comes before the 'fmt ' chunk");
                long dataOffset = chunkStart + 8;
                long available = fileLength - dataOffset;
                // Writers that stream to a pipe leave the size as 0 or 0xFFFFFFFF: the audio runs to the end of the file.
                long dataLength = size is 0 or uint.MaxValue ? available : size;
                if (dataLength > available)
                    throw new WavFormatException(path, $"truncated: the header promises {dataLength:N0} bytes of audio but the file holds {available:N0}");
                return MakeInfo(fmt[..fmtLength], dataOffset, dataLength, path);
            }
            // Chunks are padded to an even size.
            long next = chunkStart + 8 + size + (size & 1);
            if (next > fileLength)
                throw new WavFormatException(path, fmtLength < 0 ? "the header is broken or cut short (no 'fmt ' chunk)" : "no 'data' chunk: the file is cut short or holds no audio");
            stream.Position = next;
        }
    }

    private static WavInfo MakeInfo(ReadOnlySpan<byte> fmt, long dataOffset, long dataLength, string? path)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        bool extensible = tag == FormatExtensible;
        if (extensible)
        {
            if (fmt.Length < 40) throw new WavFormatException(path, "WAVE_FORMAT_EXTENSIBLE header is too short");
            var subFormat = fmt[24..40];
            if (!subFormat[2..].SequenceEqual(SubtypeTail))
                throw new WavFormatException(path, "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format");
            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }
        SampleEncoding encoding = tag switch
        {
            FormatPcm => SampleEncoding.Pcm,
            FormatFloat => SampleEncoding.Float,
            _ => throw new WavFormatException(path, $"unsupported audio format {DescribeTag(tag)}; convert to PCM or float WAV (e.g. sox in.wav -b 16 out.wav)"),
        };
        if (channels == 0) throw new WavFormatException(path, "the header says 0 channels");
        if (rate == 0 || rate > 1_536_000) throw new WavFormatException(path, $"the header says an impossible sample rate of {rate} Hz");
        bool supported = encoding == SampleEncoding.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!supported)
            throw new WavFormatException(path, $"{bits}-bit {(encoding == SampleEncoding.Pcm ? "PCM" : "float")} is not supported");
        int blockAlign = channels * bits / 8;
        long frames = dataLength / blockAlign;
        return new WavInfo((int)rate, channels, bits, encoding, extensible, frames, dataOffset, frames * blockAlign);
    }

    private static string DescribeTag(ushort tag) => tag switch
    {
        2 => "ADPCM",
        6 => "A-law",
        7 => "mu-law",
        0x11 => "IMA ADPCM",
        0x55 => "MP3",
        _ => $"0x{tag:X4}",
    };

    private static AudioClip DecodeData(ReadOnlySpan<byte> data, WavInfo info)
    {
        var samples = new float[info.FrameCount * info.Channels];
        DecodeSamples(data, info, samples);
        return new AudioClip(samples, info.SampleRate, info.Channels);
    }

    /// <summary>
    /// Decodes whole samples of a data chunk (or any slice of it that starts on a sample) into
    /// <paramref name="output"/> without allocating: the dataset check decodes a frame at a time.
    /// </summary>
    public static void DecodeSamples(ReadOnlySpan<byte> data, WavInfo info, Span<float> output)
    {
        output = output[..(data.Length / info.BytesPerSample)];
        switch (info.Encoding, info.BitsPerSample)
        {
            case (SampleEncoding.Pcm, 8):
                for (int i = 0; i < output.Length; i++) output[i] = (data[i] - 128) * (1f / 128);
                break;
            case (SampleEncoding.Pcm, 16):
                ConvertInt16(data, output);
                break;
            case (SampleEncoding.Pcm, 24):
                for (int i = 0, j = 0; i < output.Length; i++, j += 3)
                    output[i] = (data[j] | (data[j + 1] << 8) | ((sbyte)data[j + 2] << 16)) * (1f / 8388608);
                break;
            case (SampleEncoding.Pcm, 32):
                var ints = MemoryMarshal.Cast<byte, int>(data);
                for (int i = 0; i < output.Length; i++) output[i] = (float)(ints[i] * (1.0 / 2147483648.0));
                break;
            case (SampleEncoding.Float, 32):
                MemoryMarshal.Cast<byte, float>(data).CopyTo(output);
                break;
            case (SampleEncoding.Float, 64):
                var doubles = MemoryMarshal.Cast<byte, double>(data);
                for (int i = 0; i < output.Length; i++) output[i] = (float)doubles[i];
                break;
        }
    }

    private static void ConvertInt16(ReadOnlySpan<byte> data, Span<float> output)
    {
        // The common LJSpeech case, vectorised by hand: widen 16 shorts to ints, convert, scale.
        var shorts = MemoryMarshal.Cast<byte, short>(data)[..output.Length];
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(1f / 32768);
            ref short src = ref MemoryMarshal.GetReference(shorts);
            ref float dst = ref MemoryMarshal.GetReference(output);
            for (; i <= shorts.Length - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                (Vector256.ConvertToSingle(lo) * scale).StoreUnsafe(ref dst, (nuint)i);
                (Vector256.ConvertToSingle(hi) * scale).StoreUnsafe(ref dst, (nuint)(i + Vector256<int>.Count));
            }
        }
        for (; i < shorts.Length; i++) output[i] = shorts[i] * (1f / 32768);
    }

    private static FileStream OpenRead(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WavFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : $"cannot be opened: {e.Message}", e);
        }
    }

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
