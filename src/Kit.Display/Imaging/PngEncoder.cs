using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Kit.Display.Imaging;

/// <summary>
/// Writes an <see cref="RgbaImage"/> as a PNG: signature, IHDR (8-bit RGBA), one zlib IDAT with filter
/// type 0 on every row, IEND; each chunk with its CRC-32 (PNG spec, ISO/IEC 15948).
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static byte[] Encode(RgbaImage image)
    {
        using var png = new MemoryStream();
        png.Write(Signature);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), image.Height);
        header[8] = 8; // bits per channel
        header[9] = 6; // colour type: RGBA
        WriteChunk(png, "IHDR", header);

        using var deflated = new MemoryStream();
        using (var z = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            var stride = image.Width * 4;
            for (var y = 0; y < image.Height; y++)
            {
                z.WriteByte(0); // no filter
                z.Write(image.Pixels, y * stride, stride);
            }
        }
        WriteChunk(png, "IDAT", deflated.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new Crc32(); // over the chunk type and data, not the length
        crc.Append(typeBytes);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(buf, crc.GetCurrentHashAsUInt32());
        s.Write(buf);
    }
}
