using System.Text;

namespace Kit.Torch.Formats;

/// <summary>Writes a torch.save zip archive: <c>data.pkl</c>, <c>byteorder</c>, one <c>data/KEY</c> record
/// per storage and <c>version</c>, into a temporary file that replaces the target only when complete.</summary>
internal static class PthWriter
{
    // The serialization format version torch 1.13 writes and every later torch reads.
    private const string FormatVersion = "3\n";

    public static void Save(string path, object? obj)
    {
        var storages = new List<(string Key, RawTensor Tensor)>();
        var keys = new Dictionary<(ReadOnlyMemory<byte>, DType), string>();
        string AddStorage(RawTensor t)
        {
            // Tensors over the same bytes (tied weights) share one storage, as in the model that saved them.
            if (keys.TryGetValue((t.Data, t.DType), out var known)) return known;
            var key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            storages.Add((key, t));
            return keys[(t.Data, t.DType)] = key;
        }

        var pickle = new MemoryStream();
        new Pickler(pickle, AddStorage).Dump(obj);

        var archive = ArchiveName(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var zip = new ZipWriter(file);
                zip.Add(archive + "/data.pkl", pickle.GetBuffer().AsSpan(0, (int)pickle.Length));
                zip.Add(archive + "/byteorder", "little"u8);
                foreach (var (key, tensor) in storages)
                    zip.Add($"{archive}/data/{key}", tensor.Data.Span);
                zip.Add(archive + "/version", Encoding.ASCII.GetBytes(FormatVersion));
                zip.Finish();
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

    // torch names the archive folder after the file; any name works for readers, so keep it plain.
    private static string ArchiveName(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        return stem.Length > 0 && stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? stem : "archive";
    }
}
