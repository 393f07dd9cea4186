using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kit.Torch.Formats;

/// <summary>The Hugging Face safetensors format: an 8-byte header length, a JSON header, then raw tensor bytes.</summary>
public static class Safetensors
{
    public static SafetensorsFile Open(string path) => new(path);

    /// <summary>Every tensor of the file, in file order.</summary>
    public static StateDict Load(string path)
    {
        using var f = Open(path);
        return f.ReadAll();
    }

    /// <summary>Writes the tensors (and optional string metadata) into a temporary file that replaces
    /// <paramref name="path"/> when complete. Tensors are laid out largest element first so that each
    /// starts aligned to its element size, and the header is padded with spaces to a multiple of 8, as the
    /// reference writer does.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, RawTensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.Select((kv, i) => (kv.Key, kv.Value, i))
            .OrderByDescending(t => t.Value.DType.ElementSize()).ThenBy(t => t.i)
            .Select(t => (Name: t.Key, Tensor: t.Value)).ToList();
        if (ordered.Select(t => t.Name).Distinct().Count() != ordered.Count)
            throw new ArgumentException("duplicate tensor names");
        if (ordered.Any(t => t.Name == "__metadata__"))
            throw new ArgumentException("'__metadata__' is reserved for the metadata map");

        var header = Header(ordered, metadata);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> n = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(n, (ulong)header.Length);
                file.Write(n);
                file.Write(header);
                foreach (var (_, t) in ordered) file.Write(t.Data.Span);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static byte[] Header(List<(string Name, RawTensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        // Names stay readable (the default encoder escapes '+', '<' and non-ASCII, which is valid but opaque).
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, t) in tensors)
            {
                w.WriteStartObject(name);
                w.WriteString("dtype", t.DType.SafetensorsName());
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(offset += t.Data.Length);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(header);
        header.AsSpan((int)json.Length).Fill((byte)' ');
        return header;
    }
}
