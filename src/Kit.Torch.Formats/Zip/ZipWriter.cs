using System.Buffers.Binary;
using System.Text;

namespace Kit.Torch.Formats;

/// <summary>
/// Writes a zip of stored (uncompressed) records the way torch.save's writer does: each record's data
/// starts on a 64-byte boundary, padded with an extra field ("FB", filled with 'Z'), so that readers can
/// map tensors straight from the file; zip64 end records are always written, as torch does.
/// </summary>
internal sealed class ZipWriter(Stream output)
{
    private const int Alignment = 64;
    private readonly List<(byte[] Name, uint Crc, long Size, long Offset)> _central = [];
    private long _position = output.CanSeek ? output.Position : 0;

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(data);
        var offset = _position;

        var headerEnd = offset + 30 + nameBytes.Length;
        var pad = (int)((Alignment - (headerEnd + 4) % Alignment) % Alignment);
        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20);        // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 0x0800);    // names are UTF-8
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0);         // stored
        BinaryPrimitives.WriteUInt32LittleEndian(h[10..], 0);        // time and date: none, so output is reproducible
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], checked((uint)data.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(4 + pad));
        Write(h);
        Write(nameBytes);
        Span<byte> extra = stackalloc byte[4 + pad];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x4246);     // "FB", torch's padding field
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)pad);
        extra[4..].Fill((byte)'Z');
        Write(extra);
        Write(data);
        _central.Add((nameBytes, crc, data.Length, offset));
    }

    /// <summary>Writes the central directory and end records; the stream is left open.</summary>
    public void Finish()
    {
        var cdOffset = _position;
        Span<byte> c = stackalloc byte[46];
        Span<byte> z = stackalloc byte[12];
        foreach (var (name, crc, size, offset) in _central)
        {
            var zip64 = offset >= 0xFFFFFFFF;
            c.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(c, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(c[4..], 0x031e);   // made by: unix, spec 3.0
            BinaryPrimitives.WriteUInt16LittleEndian(c[6..], (ushort)(zip64 ? 45 : 20));
            BinaryPrimitives.WriteUInt16LittleEndian(c[8..], 0x0800);
            BinaryPrimitives.WriteUInt16LittleEndian(c[10..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[12..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(c[20..], (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(c[24..], (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(c[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(c[30..], (ushort)(zip64 ? 12 : 0));
            BinaryPrimitives.WriteUInt32LittleEndian(c[34..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(c[38..], 0x81a40000); // -rw-r--r--
            BinaryPrimitives.WriteUInt32LittleEndian(c[42..], zip64 ? 0xFFFFFFFF : (uint)offset);
            Write(c);
            Write(name);
            if (zip64)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(z, 1);
                BinaryPrimitives.WriteUInt16LittleEndian(z[2..], 8);
                BinaryPrimitives.WriteUInt64LittleEndian(z[4..], (ulong)offset);
                Write(z);
            }
        }
        var cdSize = _position - cdOffset;
        var end64Offset = _position;

        Span<byte> e64 = stackalloc byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(e64, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[4..], 44);
        BinaryPrimitives.WriteUInt16LittleEndian(e64[12..], 0x031e);
        BinaryPrimitives.WriteUInt16LittleEndian(e64[14..], 45);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[24..], (ulong)_central.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[32..], (ulong)_central.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[40..], (ulong)cdSize);
        BinaryPrimitives.WriteUInt64LittleEndian(e64[48..], (ulong)cdOffset);
        Write(e64);

        Span<byte> loc = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(loc, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(loc[8..], (ulong)end64Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(loc[16..], 1);
        Write(loc);

        Span<byte> e = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(e, 0x06054b50);
        var count16 = (ushort)Math.Min(_central.Count, 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(e[8..], count16);
        BinaryPrimitives.WriteUInt16LittleEndian(e[10..], count16);
        BinaryPrimitives.WriteUInt32LittleEndian(e[12..], (uint)Math.Min(cdSize, 0xFFFFFFFF));
        BinaryPrimitives.WriteUInt32LittleEndian(e[16..], (uint)Math.Min(cdOffset, 0xFFFFFFFF));
        Write(e);
        output.Flush();
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        output.Write(bytes);
        _position += bytes.Length;
    }
}
