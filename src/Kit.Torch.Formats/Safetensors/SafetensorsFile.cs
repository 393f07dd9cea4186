using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Kit.Torch.Formats;

/// <summary>
/// An open safetensors file: the header is parsed and checked on opening; tensors are read on demand with
/// positioned reads straight into their buffers, so a large file is read once and need not be held whole.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    // The reference implementation refuses headers over 100 MB; so does the kit (a damaged length field
    // would otherwise ask for gigabytes).
    internal const long MaxHeaderBytes = 100_000_000;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    public string FilePath { get; }
    /// <summary>The tensors in the order of their bytes in the file.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }
    /// <summary>The optional <c>__metadata__</c> string map.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    private long DataStart { get; }

    public SafetensorsFile(string path)
    {
        FilePath = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var length = RandomAccess.GetLength(_handle);
            Span<byte> n = stackalloc byte[8];
            if (length < 8 || RandomAccess.Read(_handle, n, 0) != 8)
                throw Error($"only {length} bytes: too short for a safetensors header");
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(n);
            if (headerLength > MaxHeaderBytes)
                throw Error($"header length field says {headerLength} bytes (limit {MaxHeaderBytes}): not a safetensors file, or damaged");
            if (8 + (long)headerLength > length)
                throw Error($"header of {headerLength} bytes runs past the end of the file ({length} bytes): the file is truncated");
            var header = new byte[headerLength];
            ReadExactly(8, header);
            DataStart = 8 + (long)headerLength;
            (Entries, Metadata) = ParseHeader(header, length - DataStart);
            _byName = Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public RawTensor Read(string name) =>
        Read(_byName.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"{FilePath}: no tensor named '{name}'"));

    public RawTensor Read(SafetensorsEntry entry)
    {
        if (entry.ByteLength > Array.MaxLength)
            throw Error($"tensor '{entry.Name}' ({entry.ByteLength} bytes) is larger than one .NET array holds");
        var data = GC.AllocateUninitializedArray<byte>((int)entry.ByteLength);   // filled whole by the read
        ReadExactly(DataStart + entry.Begin, data);
        return new RawTensor(entry.DType, entry.Shape, data);
    }

    /// <summary>Reads a tensor's bytes straight into memory the caller owns (e.g. a native tensor's buffer),
    /// which must be exactly <see cref="SafetensorsEntry.ByteLength"/> long.</summary>
    public void ReadInto(SafetensorsEntry entry, Span<byte> destination)
    {
        if (destination.Length != entry.ByteLength)
            throw new ArgumentException($"tensor '{entry.Name}' has {entry.ByteLength} bytes; the destination holds {destination.Length}");
        ReadExactly(DataStart + entry.Begin, destination);
    }

    /// <summary>Every tensor, in file order.</summary>
    public StateDict ReadAll()
    {
        var sd = new StateDict();
        foreach (var e in Entries) sd.Add(e.Name, Read(e));
        return sd;
    }

    private (List<SafetensorsEntry>, Dictionary<string, string>) ParseHeader(byte[] header, long dataLength)
    {
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (header.Length == 0 || header[0] != '{')
            throw Error("header does not start with '{': not a safetensors file, or damaged");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Error($"header is not valid JSON ({e.Message})"); }
        using (doc)
        {
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!names.Add(p.Name)) throw Error($"header names '{p.Name}' twice");
                if (p.Name == "__metadata__")
                {
                    if (p.Value.ValueKind != JsonValueKind.Object) throw Error("__metadata__ is not an object");
                    foreach (var m in p.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                            : throw Error($"__metadata__ value '{m.Name}' is not a string");
                    continue;
                }
                entries.Add(ParseEntry(p.Name, p.Value));
            }
        }

        // As the reference reader: byte ranges tile the data section exactly, without gaps or overlaps.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var e in entries)
        {
            if (e.Begin < expected) throw Error($"tensor '{e.Name}' (bytes {e.Begin}..{e.End}) overlaps the tensor before it");
            if (e.Begin > expected) throw Error($"gap in the data section before tensor '{e.Name}' (bytes {expected}..{e.Begin} belong to no tensor)");
            expected = e.End;
        }
        if (expected > dataLength)
            throw Error($"tensors need {expected} bytes of data but the file holds {dataLength}: the file is truncated");
        if (expected < dataLength)
            throw Error($"{dataLength - expected} bytes after the last tensor belong to no tensor");
        return (entries, metadata);
    }

    private SafetensorsEntry ParseEntry(string name, JsonElement v)
    {
        try
        {
            if (v.ValueKind != JsonValueKind.Object) throw Error($"entry '{name}' is not an object");
            var dtypeName = v.GetProperty("dtype").GetString() ?? "";
            if (!DTypeInfo.TryFromSafetensorsName(dtypeName, out var dtype))
                throw Error($"tensor '{name}' has dtype {dtypeName}, which the kit does not support");
            var shape = v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw Error($"tensor '{name}' has a negative dimension");
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw Error($"tensor '{name}' has invalid data_offsets [{string.Join(", ", offsets)}]");
            var needed = RawTensor.ElementCountOf(shape) * dtype.ElementSize();
            if (offsets[1] - offsets[0] != needed)
                throw Error($"tensor '{name}' ({dtypeName} [{string.Join(", ", shape)}]) needs {needed} bytes but data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
            return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Error($"entry '{name}' is malformed ({e.Message})");
        }
    }

    private void ReadExactly(long offset, Span<byte> destination)
    {
        if (FileRead.Exactly(_handle, offset, destination) is { } end)
            throw Error($"file ends at byte {end} before the data it promises: the file is truncated");
    }

    private TorchFormatException Error(string message) => new(FilePath, message);

    public void Dispose() => _handle.Dispose();
}
