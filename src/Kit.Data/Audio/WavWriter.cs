using System.Buffers.Binary;

namespace Kit.Data.Audio;

/// <summary>How <see cref="WavWriter"/> stores samples.</summary>
public sealed record WavFormat(SampleEncoding Encoding, int BitsPerSample, bool Extensible = false)
{
    public static WavFormat Pcm16 { get; } = new(SampleEncoding.Pcm, 16);
    public static WavFormat Float32 { get; } = new(SampleEncoding.Float, 32);
}

/// <summary>
/// Writes WAV files. The kit itself writes 16-bit PCM and 32-bit float; the other encodings exist so tests
/// can make every format the reader accepts.
/// </summary>
public static class WavWriter
{
    public static void Write(string path, AudioClip clip, WavFormat? format = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        // Write beside and rename, so a crash never leaves a half-written clip under the real name.
        var temp = path + ".partial";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            Write(stream, clip, format);
        File.Move(temp, path, overwrite: true);
    }

    public static byte[] ToBytes(AudioClip clip, WavFormat? format = null)
    {
        var stream = new MemoryStream();
        Write(stream, clip, format);
        return stream.ToArray();
    }

    public static void Write(Stream stream, AudioClip clip, WavFormat? format = null)
    {
        format ??= WavFormat.Pcm16;
        int bits = format.BitsPerSample;
        bool valid = format.Encoding == SampleEncoding.Pcm ? bits is 8 or 16 or 24 or 32 : bits is 32 or 64;
        if (!valid) throw new ArgumentException($"cannot write {bits}-bit {format.Encoding}", nameof(format));

        int bytesPerSample = bits / 8;
        long dataLength = (long)clip.Samples.Length * bytesPerSample;
        int fmtLength = format.Extensible ? 40 : 16;
        var header = new byte[12 + 8 + fmtLength + 8];
        var h = header.AsSpan();
        "RIFF"u8.CopyTo(h);
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], checked((uint)(4 + 8 + fmtLength + 8 + dataLength + (dataLength & 1))));
        "WAVE"u8.CopyTo(h[8..]);
        "fmt "u8.CopyTo(h[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[16..], (uint)fmtLength);
        var fmt = h.Slice(20, fmtLength);
        ushort tag = format.Encoding == SampleEncoding.Pcm ? (ushort)1 : (ushort)3;
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, format.Extensible ? (ushort)0xFFFE : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)clip.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)clip.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)(clip.SampleRate * clip.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)(clip.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bits);
        if (format.Extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);          // cbSize
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bits); // valid bits
            uint mask = clip.Channels switch { 1 => 0x4, 2 => 0x3, _ => 0 };
            BinaryPrimitives.WriteUInt32LittleEndian(fmt[20..], mask);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[24..], tag);
            ReadOnlySpan<byte> tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
            tail.CopyTo(fmt[26..]);
        }
        "data"u8.CopyTo(h[(20 + fmtLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(h[(24 + fmtLength)..], checked((uint)dataLength));
        stream.Write(header);

        var buffer = new byte[8192 * 8];
        int perChunk = buffer.Length / bytesPerSample;
        var samples = clip.Samples;
        for (int start = 0; start < samples.Length; start += perChunk)
        {
            int count = Math.Min(perChunk, samples.Length - start);
            Encode(samples.AsSpan(start, count), buffer.AsSpan(0, count * bytesPerSample), format);
            stream.Write(buffer, 0, count * bytesPerSample);
        }
        if ((dataLength & 1) == 1) stream.WriteByte(0);
    }

    private static void Encode(ReadOnlySpan<float> samples, Span<byte> output, WavFormat format)
    {
        switch (format.Encoding, format.BitsPerSample)
        {
            case (SampleEncoding.Pcm, 8):
                for (int i = 0; i < samples.Length; i++) output[i] = (byte)(Quantize(samples[i], 8) + 128);
                break;
            case (SampleEncoding.Pcm, 16):
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteInt16LittleEndian(output[(i * 2)..], (short)Quantize(samples[i], 16));
                break;
            case (SampleEncoding.Pcm, 24):
                for (int i = 0, j = 0; i < samples.Length; i++, j += 3)
                {
                    int v = (int)Quantize(samples[i], 24);
                    output[j] = (byte)v; output[j + 1] = (byte)(v >> 8); output[j + 2] = (byte)(v >> 16);
                }
                break;
            case (SampleEncoding.Pcm, 32):
                for (int i = 0; i < samples.Length; i++)
                    BinaryPrimitives.WriteInt32LittleEndian(output[(i * 4)..], (int)Quantize(samples[i], 32));
                break;
            case (SampleEncoding.Float, 32):
                for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(output[(i * 4)..], samples[i]);
                break;
            case (SampleEncoding.Float, 64):
                for (int i = 0; i < samples.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(output[(i * 8)..], samples[i]);
                break;
        }
    }

    // The inverse of the reader's scaling (x / 2^(bits-1)), so integer samples round-trip exactly; integer
    // formats hold [-1, 1) only, so louder samples are clamped rather than wrapped around.
    private static long Quantize(float sample, int bits)
    {
        long scale = 1L << (bits - 1);
        return Math.Clamp((long)Math.Round((double)sample * scale), -scale, scale - 1);
    }
}
