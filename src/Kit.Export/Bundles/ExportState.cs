using System.Text.Json;

namespace Kit.Export.Bundles;

/// <summary>
/// RUN_DIR/.export-state.json: what a later run needs to carry on where an interrupted export stopped
/// (hashes of unchanged files, Drive upload session URIs, S3 multipart upload ids and finished parts).
/// Saved after every change, atomically, so a crash loses at most the chunk in flight. Never holds
/// credentials, and is never part of a bundle.
/// </summary>
public sealed class ExportState
{
    public Dictionary<string, CachedHash> Hashes { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, DriveSession> DriveSessions { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, S3Upload> S3Uploads { get; set; } = new(StringComparer.Ordinal);

    private string? _path;
    private readonly Lock _gate = new();

    /// <summary>Loads the state beside a run (or starts empty); an unreadable file is set aside, not fatal.</summary>
    public static ExportState Load(string path)
    {
        ExportState state;
        if (File.Exists(path))
        {
            try { state = JsonSerializer.Deserialize(File.ReadAllBytes(path), ExportJson.Default.ExportState) ?? new ExportState(); }
            catch (JsonException)
            {
                File.Move(path, path + ".unreadable", overwrite: true);
                state = new ExportState();
            }
        }
        else state = new ExportState();
        state._path = path;
        return state;
    }

    /// <summary>An in-memory state for exports with nowhere to keep one (e.g. tests, imports).</summary>
    public static ExportState InMemory() => new();

    public void Update(Action<ExportState> change)
    {
        lock (_gate)
        {
            change(this);
            if (_path is null) return;
            var tmp = _path + ".tmp";
            File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(this, ExportJson.Default.ExportState));
            File.Move(tmp, _path, overwrite: true);
        }
    }

    /// <summary>The file's hashes, from the cache when size and modification time are unchanged.</summary>
    public async Task<FileHashes> HashAsync(string file, IProgress<long>? progress, CancellationToken ct)
    {
        var info = new FileInfo(file);
        var key = Path.GetFullPath(file);
        lock (_gate)
        {
            if (Hashes.TryGetValue(key, out var c) && c.Size == info.Length && c.ModifiedTicks == info.LastWriteTimeUtc.Ticks)
            {
                progress?.Report(c.Size);
                return new FileHashes(c.Size, c.Sha256, c.Md5);
            }
        }
        var hashes = await FileHashes.ComputeAsync(file, progress, ct);
        Update(s => s.Hashes[key] = new CachedHash(hashes.Size, info.LastWriteTimeUtc.Ticks, hashes.Sha256, hashes.Md5));
        return hashes;
    }
}

public sealed record CachedHash(long Size, long ModifiedTicks, string Sha256, string Md5);

/// <summary>A Drive resumable upload session for one file of one destination.</summary>
public sealed record DriveSession(string SessionUri, string Sha256, long Size);

/// <summary>An S3 multipart upload in progress for one object.</summary>
public sealed record S3Upload(string UploadId, string Sha256, long PartSize, List<S3Part> Parts);

public sealed record S3Part(int Number, string ETag, long Size);
