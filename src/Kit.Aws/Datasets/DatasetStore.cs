using Kit.Data.Checks;
using Kit.Display;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.S3;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Datasets;

/// <summary>
/// A run's dataset beside its checkpoints (s3://bucket/runs/NAME/dataset, or a folder), so a VM anywhere trains
/// on it: content-addressed, each file stored once as blobs/SHA256 however often it is uploaded, and
/// <see cref="DatasetIndex"/> (index.json) written last. A second upload sends only files whose content is not
/// stored yet; a fetch checks every byte and skips files the folder already holds intact.
/// </summary>
public sealed class DatasetStore(IExportDestination destination) : IAsyncDisposable
{
    public string Description => destination.Description;

    public static DatasetStore Open(string address, S3Options? s3 = null) =>
        new(S3Address.IsS3(address)
            ? new S3Destination(S3Address.Parse(address), s3 ?? new S3Options(), ExportState.InMemory())
            : new LocalFolderDestination(address));

    /// <summary>
    /// Refuses a folder that is not a dataset the trainer can read: the dataset check (lists and every clip they
    /// name) must find no errors. Returns the check's report, for a summary line.
    /// </summary>
    public static DatasetCheckReport Check(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"--dataset {folder}: no such folder");
        DatasetCheckReport report;
        try { report = DatasetCheck.Run(folder); }
        catch (Kit.Data.Datasets.DatasetLoadException e) { throw new InvalidDataException($"--dataset {folder}: {e.Message}", e); }
        if (report.Error is { } error) throw new InvalidDataException($"--dataset {folder}: {error}");
        if (report.Findings.FirstOrDefault(f => f.Severity == Severity.Error) is { } first)
        {
            var count = report.Findings.Count(f => f.Severity == Severity.Error);
            throw new InvalidDataException($"--dataset {folder}: {count} error(s) in the dataset check, first: {first.Message} "
                + "(see `kit data check`)");
        }
        return report;
    }

    /// <summary>The files of a dataset folder (hidden files and folders left out), hashed once each.</summary>
    public static async Task<IReadOnlyList<(DatasetFile File, string LocalPath)>> ScanAsync(string folder, CancellationToken ct = default)
    {
        var root = Path.GetFullPath(folder);
        var files = new List<(DatasetFile, string)>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            var (size, sha256) = await FileSha256.OfAsync(path, ct).ConfigureAwait(false);
            files.Add((new DatasetFile(relative, size, sha256), path));
        }
        if (files.Count == 0) throw new InvalidDataException($"{root}: the dataset folder has no files");
        return files;
    }

    /// <summary>Uploads what the store lacks, then the index. Returns the index and how many files/bytes were sent.</summary>
    public async Task<DatasetUpload> UploadAsync(string folder, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        progress ??= new Progress<long>();
        var files = await ScanAsync(folder, ct).ConfigureAwait(false);
        await destination.EnsureFolderAsync(ct).ConfigureAwait(false);
        var stored = (await destination.ListAsync(ct).ConfigureAwait(false))
            .Where(f => f.RelativePath.StartsWith(DatasetIndex.BlobsFolder + "/", StringComparison.Ordinal))
            .ToDictionary(f => f.RelativePath, f => f.Size, StringComparer.Ordinal);
        var sentObjects = 0;
        long sentBytes = 0;
        foreach (var group in files.GroupBy(f => f.File.Sha256, StringComparer.Ordinal))
        {
            var (file, localPath) = group.First();
            var blob = DatasetIndex.BlobPath(file.Sha256);
            if (stored.TryGetValue(blob, out var size) && size == file.Bytes) continue;
            await destination.UploadAsync(new BundleFile(blob, localPath, new FileHashes(file.Bytes, file.Sha256, "")), progress, ct)
                .ConfigureAwait(false);
            sentObjects++;
            sentBytes += file.Bytes;
        }
        var index = new DatasetIndex(DatasetIndex.CurrentFormat, DateTime.UtcNow, files.Select(f => f.File).ToList());
        var indexPath = Path.Combine(Path.GetTempPath(), $"kit-dataset-index-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllBytesAsync(indexPath, index.ToJson(), ct).ConfigureAwait(false);
            await destination.UploadAsync(new BundleFile(DatasetIndex.FileName, indexPath,
                await FileHashes.ComputeAsync(indexPath, null, ct).ConfigureAwait(false)), progress, ct).ConfigureAwait(false);
        }
        finally { File.Delete(indexPath); }
        return new DatasetUpload(index, sentObjects, sentBytes);
    }

    /// <summary>The stored index, or null when nothing (or only a cut-off upload) is stored.</summary>
    public async Task<DatasetIndex?> ReadIndexAsync(CancellationToken ct = default)
    {
        if (await destination.FindAsync(DatasetIndex.FileName, ct).ConfigureAwait(false) is null) return null;
        using var buffer = new MemoryStream();
        await destination.DownloadAsync(DatasetIndex.FileName, buffer, new Progress<long>(), ct).ConfigureAwait(false);
        return DatasetIndex.Parse(buffer.ToArray(), $"{Description}/{DatasetIndex.FileName}");
    }

    /// <summary>
    /// Makes <paramref name="folder"/> hold the stored dataset: files already there intact are kept, the rest
    /// downloaded and checked against the index. Throws when the store holds no dataset or a byte is wrong.
    /// </summary>
    public async Task<DatasetFetch> FetchAsync(string folder, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        progress ??= new Progress<long>();
        var index = await ReadIndexAsync(ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{Description}: no {DatasetIndex.FileName} (no dataset was uploaded, or its upload did not finish)");
        var root = Path.GetFullPath(folder);
        var fetched = 0;
        long fetchedBytes = 0;
        foreach (var file in index.Files)
        {
            var path = Path.GetFullPath(Path.Combine(root, file.Path));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"{Description}: path '{file.Path}' leaves the dataset folder");
            if (File.Exists(path) && new FileInfo(path).Length == file.Bytes
                && (await FileSha256.OfAsync(path, ct).ConfigureAwait(false)).Sha256 == file.Sha256)
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var partial = path + ".partial";
            await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await destination.DownloadAsync(DatasetIndex.BlobPath(file.Sha256), output, progress, ct).ConfigureAwait(false);
            var (size, sha256) = await FileSha256.OfAsync(partial, ct).ConfigureAwait(false);
            if (size != file.Bytes || sha256 != file.Sha256)
            {
                File.Delete(partial);
                throw new InvalidDataException($"{Description}/{DatasetIndex.BlobPath(file.Sha256)} ({file.Path}): downloaded {size} bytes "
                    + $"sha256 {sha256}, the index says {file.Bytes} bytes sha256 {file.Sha256}");
            }
            File.Move(partial, path, overwrite: true);
            fetched++;
            fetchedBytes += size;
        }
        return new DatasetFetch(index, root, fetched, fetchedBytes);
    }

    public ValueTask DisposeAsync() => destination.DisposeAsync();
}

/// <param name="ObjectsSent">Contents the store lacked (files with equal bytes share one object).</param>
public sealed record DatasetUpload(DatasetIndex Index, int ObjectsSent, long BytesSent)
{
    public override string ToString() =>
        $"dataset: {Index.Files.Count} files, {ByteSize.Format(Index.TotalBytes)}; uploaded {ObjectsSent} new ({ByteSize.Format(BytesSent)}), "
        + "the rest already stored";
}

public sealed record DatasetFetch(DatasetIndex Index, string Folder, int FilesFetched, long BytesFetched)
{
    public override string ToString() =>
        $"dataset in {Folder}: {Index.Files.Count} files; fetched {FilesFetched} ({ByteSize.Format(BytesFetched)}), "
        + $"{Index.Files.Count - FilesFetched} already there";
}
