namespace Kit.Torch.Formats;

/// <summary>Reads a torch.save zip archive: unpickles <c>ARCHIVE/data.pkl</c> with the allow-list and
/// reads each tensor from its <c>ARCHIVE/data/KEY</c> record when the pickle rebuilds it.</summary>
internal static class PthReader
{
    public static object? Load(string path)
    {
        RejectLegacyFormat(path);
        using var zip = new ZipReader(path);
        var pkl = zip.Entries.Keys.Where(n => n.EndsWith("data.pkl", StringComparison.Ordinal) && n.Count(c => c == '/') <= 1)
            .ToList() switch
        {
            [var one] => one,
            [] => throw new TorchFormatException(path, "no data.pkl record: this zip was not written by torch.save"),
            var many => throw new TorchFormatException(path, $"several data.pkl records ({string.Join(", ", many)})"),
        };
        var prefix = pkl[..^"data.pkl".Length];
        // torch 2 records the byte order; files without the record (torch 1.x) are little-endian.
        if (zip.Entries.TryGetValue(prefix + "byteorder", out var order)
            && System.Text.Encoding.ASCII.GetString(zip.ReadAll(order)).Trim() is var byteOrder and not "little")
            throw new TorchFormatException(path, $"tensors are stored {byteOrder}-endian; the kit reads little-endian files only");
        var storages = new Dictionary<string, ZipStorage>(StringComparer.Ordinal);

        object? PersistentLoad(object? pid)
        {
            if (pid is not PyTuple { Count: >= 5 } t || t[0] is not "storage")
                throw new TorchFormatException(path, $"unexpected persistent id {PyRepr.Of(pid)}");
            if (t[1] is not PyGlobal { StorageDType: { } dtype })
                throw new TorchFormatException(path, $"persistent id names {PyRepr.Of(t[1])}, not a storage type");
            if (t[2] is not string key || t[4] is not long numel)
                throw new TorchFormatException(path, $"damaged persistent id {PyRepr.Of(pid)}");
            if (storages.TryGetValue(key, out var known)) return known;
            var name = prefix + "data/" + key;
            if (!zip.Entries.TryGetValue(name, out var entry))
                throw new TorchFormatException(path, $"the pickle refers to storage record {name}, which the archive lacks");
            if (numel < 0 || numel > entry.Size / dtype.ElementSize())
                throw new TorchFormatException(path, $"record {name} holds {entry.Size} bytes, too few for {numel} {dtype} elements");
            return storages[key] = new ZipStorage(zip, entry, key, dtype, numel);
        }

        var unpickler = new Unpickler(zip.ReadAll(zip.Entries[pkl]), path, TorchAllowList.Resolve, PersistentLoad, pkl);
        return unpickler.Load();
    }

    // torch.save wrote a bare pickle stream (magic number first) before PyTorch 1.6 made zip the default.
    private static void RejectLegacyFormat(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var f = File.OpenHandle(path);
        var n = RandomAccess.Read(f, head, 0);
        if (n >= 2 && head[0] == Op.Proto)
            throw new TorchFormatException(path, "this is the legacy torch.save format (before PyTorch 1.6), which the kit does not read; " +
                "re-save it with torch.save(torch.load(path), path) in a current PyTorch");
        if (n < 4 || head[0] != 'P' || head[1] != 'K')
            throw new TorchFormatException(path, "not a torch.save file (it does not start with a zip header)");
    }

    private sealed class ZipStorage(ZipReader zip, ZipEntry entry, string key, DType dtype, long numel)
        : TorchStorage(key, dtype, numel)
    {
        public override void Read(long byteOffset, Span<byte> destination) => zip.Read(entry, byteOffset, destination);
    }
}
