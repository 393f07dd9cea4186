using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Kit.Training.Metrics;

/// <summary>
/// Writes scalar summaries in TensorBoard's event-file format, so `tensorboard --logdir RUN/tensorboard`
/// shows the run: TFRecord framing (length, masked CRC-32C of the length, data, masked CRC-32C of the data)
/// around hand-encoded Event protobufs. Only what scalars need: wall_time, step, file_version, simple_value.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private readonly FileStream _file;

    public TensorBoardWriter(string folder)
    {
        Directory.CreateDirectory(folder);
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // The name pattern TensorBoard looks for; pid + a counter keep two writers in one second apart.
        Path = System.IO.Path.Combine(folder, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _count)}");
        _file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteEvent(Event(WallTime(), 0, fileVersion: "brain.Event:2", summary: null));
    }

    private static int _count;

    public string Path { get; }

    /// <summary>Appends scalars for one step and flushes, so TensorBoard sees them while training runs.</summary>
    public void AddScalars(long step, IEnumerable<KeyValuePair<string, double>> values)
    {
        var summary = new MemoryStream();
        var f = new byte[4];
        foreach (var (tag, value) in values)
        {
            var v = new MemoryStream();
            WriteBytesField(v, 1, Encoding.UTF8.GetBytes(tag));
            WriteTag(v, 2, wireType: 5);
            BinaryPrimitives.WriteSingleLittleEndian(f, (float)value);
            v.Write(f);
            WriteBytesField(summary, 1, v.ToArray());
        }
        var e = Event(WallTime(), step, fileVersion: null, summary: summary.ToArray());
        Checkpoints.DiskLimit.EnsureFits(Path, e.Length + 16);
        WriteEvent(e);
        _file.Flush();
    }

    public void Dispose() => _file.Dispose();

    private static double WallTime() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static byte[] Event(double wallTime, long step, string? fileVersion, byte[]? summary)
    {
        var e = new MemoryStream();
        WriteTag(e, 1, wireType: 1);
        Span<byte> d = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(d, wallTime);
        e.Write(d);
        if (step != 0) { WriteTag(e, 2, wireType: 0); WriteVarint(e, (ulong)step); }
        if (fileVersion is not null) WriteBytesField(e, 3, Encoding.UTF8.GetBytes(fileVersion));
        if (summary is not null) WriteBytesField(e, 5, summary);
        return e.ToArray();
    }

    private void WriteEvent(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C(header[..8]));
        _file.Write(header);
        _file.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C(data));
        _file.Write(footer);
    }

    /// <summary>TFRecord stores masked CRC-32Cs, so a CRC of data that itself holds CRCs stays well distributed.</summary>
    private static uint MaskedCrc32C(ReadOnlySpan<byte> data)
    {
        var crc = Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    private static void WriteTag(Stream s, int field, int wireType) => WriteVarint(s, (ulong)((field << 3) | wireType));

    private static void WriteBytesField(Stream s, int field, byte[] bytes)
    {
        WriteTag(s, field, wireType: 2);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80) { s.WriteByte((byte)(value | 0x80)); value >>= 7; }
        s.WriteByte((byte)value);
    }
}
