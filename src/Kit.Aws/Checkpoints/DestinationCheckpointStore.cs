using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.S3;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// Checkpoints kept in one of the export's destinations (<see cref="S3Destination"/> for s3:// addresses,
/// <see cref="LocalFolderDestination"/> for a folder), one step-N/ folder each, its manifest written last.
/// The destination does the transfers (multipart and resumable for large files); this class decides what a
/// complete checkpoint is and checks what comes back.
/// </summary>
public sealed class DestinationCheckpointStore(IExportDestination destination) : ICheckpointStore
{
    public string Description => destination.Description;

    /// <summary>An s3://bucket/prefix address (with <paramref name="s3"/>'s endpoint and credentials) or a local folder.</summary>
    public static DestinationCheckpointStore Open(string address, S3Options? s3 = null, ExportState? state = null) =>
        new(S3Address.IsS3(address)
            ? new S3Destination(S3Address.Parse(address), s3 ?? new S3Options(), state ?? ExportState.InMemory())
            : new LocalFolderDestination(address));

    public async Task<StoredCheckpoint> UploadAsync(long step, string localDir, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), "a checkpoint's step cannot be negative");
        if (!Directory.Exists(localDir)) throw new DirectoryNotFoundException($"{localDir}: checkpoint folder not found");
        progress ??= new Progress<long>();
        var folder = CheckpointManifest.FolderFor(step);
        await destination.EnsureFolderAsync(ct).ConfigureAwait(false);

        var files = new List<CheckpointFile>();
        foreach (var path in Directory.EnumerateFiles(localDir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(localDir, path).Replace(Path.DirectorySeparatorChar, '/');
            if (relative == CheckpointManifest.FileName) continue; // only the store writes the marker
            var hashes = await FileHashes.ComputeAsync(path, null, ct).ConfigureAwait(false);
            await destination.UploadAsync(new BundleFile($"{folder}/{relative}", path, hashes), progress, ct).ConfigureAwait(false);
            files.Add(new CheckpointFile(relative, hashes.Size, hashes.Sha256));
        }
        if (files.Count == 0) throw new InvalidOperationException($"{localDir}: the checkpoint folder is empty");

        var checkpoint = new StoredCheckpoint(step, folder, DateTime.UtcNow, files,
            Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(localDir))));
        // The marker goes last: until it is stored, resume does not see this checkpoint.
        var manifestPath = Path.Combine(Path.GetTempPath(), $"kit-checkpoint-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllBytesAsync(manifestPath, CheckpointManifest.Serialize(checkpoint), ct).ConfigureAwait(false);
            var hashes = await FileHashes.ComputeAsync(manifestPath, null, ct).ConfigureAwait(false);
            await destination.UploadAsync(new BundleFile($"{folder}/{CheckpointManifest.FileName}", manifestPath, hashes), progress, ct)
                .ConfigureAwait(false);
        }
        finally { File.Delete(manifestPath); }
        return checkpoint;
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> ListCompleteAsync(CancellationToken ct = default)
    {
        var listing = await destination.ListAsync(ct).ConfigureAwait(false);
        var found = new List<StoredCheckpoint>();
        foreach (var file in listing)
        {
            if (CheckpointManifest.StepOfManifestPath(file.RelativePath) is null) continue;
            var checkpoint = await ReadManifestAsync(file.RelativePath, ct).ConfigureAwait(false);
            var present = listing.Where(f => f.RelativePath.StartsWith(checkpoint.Folder + "/", StringComparison.Ordinal))
                .ToDictionary(f => f.RelativePath[(checkpoint.Folder.Length + 1)..], f => f.Size, StringComparer.Ordinal);
            // A manifest whose files are missing or truncated (someone deleted objects) is not complete either.
            if (checkpoint.Files.All(f => present.TryGetValue(f.Path, out var size) && size == f.Size))
                found.Add(checkpoint);
        }
        return found.OrderByDescending(c => c.Step).ToList();
    }

    public async Task<LocalCheckpoint?> DownloadLatestAsync(string localRoot, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        progress ??= new Progress<long>();
        var problems = new List<string>();
        foreach (var checkpoint in await ListCompleteAsync(ct).ConfigureAwait(false))
        {
            var target = Path.Combine(localRoot, checkpoint.LocalName ?? checkpoint.Folder);
            try
            {
                foreach (var file in checkpoint.Files)
                    await DownloadVerifiedAsync(checkpoint, file, target, progress, ct).ConfigureAwait(false);
                return new LocalCheckpoint(checkpoint.Step, target, checkpoint);
            }
            catch (InvalidDataException e)
            {
                // Like the trainer's own resume: a checkpoint that does not load falls back to the one before.
                problems.Add(e.Message);
            }
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"{Description}: no checkpoint downloaded intact:\n  " + string.Join("\n  ", problems));
        return null;
    }

    /// <summary>
    /// The complete checkpoint stored under <paramref name="folder"/> (the last part of its address), verified
    /// file by file, into <paramref name="localRoot"/>; null when the store holds no complete checkpoint of that name.
    /// </summary>
    public async Task<LocalCheckpoint?> DownloadAsync(string folder, string localRoot, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var checkpoint = (await ListCompleteAsync(ct).ConfigureAwait(false)).FirstOrDefault(c => c.Folder == folder);
        if (checkpoint is null) return null;
        var target = Path.Combine(localRoot, checkpoint.LocalName ?? checkpoint.Folder);
        foreach (var file in checkpoint.Files)
            await DownloadVerifiedAsync(checkpoint, file, target, progress ?? new Progress<long>(), ct).ConfigureAwait(false);
        return new LocalCheckpoint(checkpoint.Step, target, checkpoint);
    }

    private async Task DownloadVerifiedAsync(StoredCheckpoint checkpoint, CheckpointFile file, string target, IProgress<long> progress, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(target, file.Path));
        if (!path.StartsWith(Path.GetFullPath(target) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidDataException($"{Description}/{checkpoint.Folder}: manifest path '{file.Path}' leaves the checkpoint folder");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await destination.DownloadAsync($"{checkpoint.Folder}/{file.Path}", output, progress, ct).ConfigureAwait(false);
        var hashes = await FileHashes.ComputeAsync(partial, null, ct).ConfigureAwait(false);
        if (hashes.Size != file.Size || !string.Equals(hashes.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(partial);
            throw new InvalidDataException(
                $"{Description}/{checkpoint.Folder}/{file.Path}: downloaded {hashes.Size} bytes sha256 {hashes.Sha256}, "
                + $"the manifest says {file.Size} bytes sha256 {file.Sha256}");
        }
        File.Move(partial, path, overwrite: true);
    }

    private async Task<StoredCheckpoint> ReadManifestAsync(string relativePath, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await destination.DownloadAsync(relativePath, buffer, new Progress<long>(), ct).ConfigureAwait(false);
        return CheckpointManifest.Deserialize(buffer.ToArray(), relativePath[..relativePath.IndexOf('/')], $"{Description}/{relativePath}");
    }

    public ValueTask DisposeAsync() => destination.DisposeAsync();
}
