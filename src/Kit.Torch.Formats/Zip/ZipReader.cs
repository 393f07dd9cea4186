using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kit.Torch.Formats;

/// <summary>One record of a zip archive, as its central directory describes it.</summary>
internal sealed record ZipEntry(string Name, ushort Method, long CompressedSize, long Size, long LocalHeaderOffset, uint Crc);

/// <summary>
/// Reads the central directory of a zip file (zip64 included) and the bytes of its records with positioned
/// reads, so that a stored record is copied once, from the file straight into the caller's buffer.
/// </summary>
internal sealed class ZipReader : IDisposable
{
    private const uint EndSig = 0x06054b50, End64Sig = 0x06064b50, Locator64Sig = 0x07064b50, CentralSig = 0x02014b50, LocalSig = 0x04034b50;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, long> _dataOffsets = [];
    private readonly Dictionary<string, byte[]> _inflated = [];

    public string FilePath { get; }
    public long Length { get; }
    public IReadOnlyDictionary<string, ZipEntry> Entries { get; }

    public ZipReader(string path)
    {
        FilePath = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            Length = RandomAccess.GetLength(_handle);
            Entries = ReadCentralDirectory();
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="destination"/> from a record's uncompressed bytes at <paramref name="offset"/>.</summary>
    public void Read(ZipEntry entry, long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > entry.Size)
            throw Error($"read of {destination.Length} bytes at {offset} is past the end of record {entry.Name} ({entry.Size} bytes)");
        switch (entry.Method)
        {
            case 0:
                ReadExactly(DataOffset(entry) + offset, destination, entry.Name);
                break;
            case 8:
                Inflated(entry).AsSpan((int)offset, destination.Length).CopyTo(destination);
                break;
            default:
                throw Error($"record {entry.Name} uses zip compression method {entry.Method}; only stored and deflated records are read");
        }
    }

    public byte[] ReadAll(ZipEntry entry)
    {
        if (entry.Size > Array.MaxLength) throw Error($"record {entry.Name} is too large to read at once");
        var bytes = new byte[entry.Size];
        Read(entry, 0, bytes);
        return bytes;
    }

    private byte[] Inflated(ZipEntry entry)
    {
        if (_inflated.TryGetValue(entry.Name, out var cached)) return cached;
        var compressed = new byte[entry.CompressedSize];
        ReadExactly(DataOffset(entry), compressed, entry.Name);
        var result = new byte[entry.Size];
        using (var inflate = new DeflateStream(new MemoryStream(compressed), CompressionMode.Decompress))
        {
            try { inflate.ReadExactly(result); }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException) { throw Error($"record {entry.Name} does not inflate: {e.Message}"); }
        }
        return _inflated[entry.Name] = result;
    }

    /// <summary>Where a record's bytes start in the file (after its local header).</summary>
    internal long DataOffset(ZipEntry entry)
    {
        if (_dataOffsets.TryGetValue(entry.Name, out var known)) return known;
        Span<byte> h = stackalloc byte[30];
        ReadExactly(entry.LocalHeaderOffset, h, entry.Name);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != LocalSig)
            throw Error($"record {entry.Name}: no local header at offset {entry.LocalHeaderOffset}");
        var dataOffset = entry.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(h[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(h[28..]);
        if (dataOffset + entry.CompressedSize > Length)
            throw Error($"record {entry.Name} ends at byte {dataOffset + entry.CompressedSize} but the file has {Length}: the file is truncated");
        return _dataOffsets[entry.Name] = dataOffset;
    }

    private Dictionary<string, ZipEntry> ReadCentralDirectory()
    {
        var tailLength = (int)Math.Min(Length, 22 + 65535 + 20);
        var tail = new byte[tailLength];
        ReadExactly(Length - tailLength, tail, "end of central directory");
        var end = -1;
        for (var i = tailLength - 22; i >= 0; i--)
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSig) { end = i; break; }
        if (end < 0) throw Error("not a zip archive (no end-of-central-directory record): the file is truncated or not a torch.save file");

        long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(end + 10));
        long cdSize = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 12));
        long cdOffset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end + 16));
        if (end >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(end - 20)) == Locator64Sig)
        {
            var end64Offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(end - 12));
            var e64 = new byte[56];
            ReadExactly(end64Offset, e64, "zip64 end of central directory");
            if (BinaryPrimitives.ReadUInt32LittleEndian(e64) != End64Sig) throw Error("zip64 end-of-central-directory record is damaged");
            count = (long)BinaryPrimitives.ReadUInt64LittleEndian(e64.AsSpan(32));
            cdSize = (long)BinaryPrimitives.ReadUInt64LittleEndian(e64.AsSpan(40));
            cdOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(e64.AsSpan(48));
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > Length || cdSize > int.MaxValue)
            throw Error($"central directory (offset {cdOffset}, {cdSize} bytes) lies outside the file of {Length} bytes: the file is truncated");

        var cd = new byte[cdSize];
        ReadExactly(cdOffset, cd, "central directory");
        var entries = new Dictionary<string, ZipEntry>(StringComparer.Ordinal);
        var p = 0;
        for (long i = 0; i < count; i++)
        {
            if (p + 46 > cd.Length || BinaryPrimitives.ReadUInt32LittleEndian(cd.AsSpan(p)) != CentralSig)
                throw Error($"central directory entry {i} is damaged");
            var s = cd.AsSpan(p);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(s[10..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
            long csize = BinaryPrimitives.ReadUInt32LittleEndian(s[20..]);
            long usize = BinaryPrimitives.ReadUInt32LittleEndian(s[24..]);
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(s[28..]);
            int extraLen = BinaryPrimitives.ReadUInt16LittleEndian(s[30..]);
            int commentLen = BinaryPrimitives.ReadUInt16LittleEndian(s[32..]);
            long local = BinaryPrimitives.ReadUInt32LittleEndian(s[42..]);
            if (p + 46 + nameLen + extraLen + commentLen > cd.Length) throw Error($"central directory entry {i} is damaged");
            var name = Encoding.UTF8.GetString(s.Slice(46, nameLen));
            var extra = s.Slice(46 + nameLen, extraLen);
            while (extra.Length >= 4)
            {
                var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
                var len = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
                if (4 + len > extra.Length) break;
                if (id == 1)
                {
                    var z = extra.Slice(4, len);
                    if (usize == 0xFFFFFFFF && z.Length >= 8) { usize = (long)BinaryPrimitives.ReadUInt64LittleEndian(z); z = z[8..]; }
                    if (csize == 0xFFFFFFFF && z.Length >= 8) { csize = (long)BinaryPrimitives.ReadUInt64LittleEndian(z); z = z[8..]; }
                    if (local == 0xFFFFFFFF && z.Length >= 8) local = (long)BinaryPrimitives.ReadUInt64LittleEndian(z);
                }
                extra = extra[(4 + len)..];
            }
            if (local < 0 || local + 30 > Length || csize < 0 || usize < 0)
                throw Error($"record {name} points outside the file: the file is truncated or damaged");
            entries[name] = new ZipEntry(name, method, csize, usize, local, crc);
            p += 46 + nameLen + extraLen + commentLen;
        }
        return entries;
    }

    private void ReadExactly(long fileOffset, Span<byte> destination, string what)
    {
        if (FileRead.Exactly(_handle, fileOffset, destination) is { } end)
            throw Error($"{what} ends at byte {end} but the file has {Length}: the file is truncated");
    }

    private TorchFormatException Error(string message) => new(FilePath, message);

    public void Dispose() => _handle.Dispose();
}
