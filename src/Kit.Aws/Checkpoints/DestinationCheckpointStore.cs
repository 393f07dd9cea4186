using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.S3;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// Checkpoints kept in one of the export's destinations (<see cref="S3Destination"/> for s3:// addresses,
/// <see cref="LocalFolderDestination"/> for a folder), each the trainer's step folder as saved, its
/// manifest.json uploaded last. The destination does the transfers (multipart and resumable for large files);
/// this class decides what a complete checkpoint is and checks what comes back.
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
        var (manifest, manifestPath) = await TrainerManifest.ReadAsync(localDir, ct).ConfigureAwait(false);
        if (manifest.Step != step)
            throw new InvalidDataException($"{manifestPath}: the manifest is of step {manifest.Step}, not {step}");
        if (manifest.Files.Count == 0) throw new InvalidDataException($"{manifestPath}: the checkpoint lists no files");
        var folder = CheckpointFiles.StepFolderName(step);
        await destination.EnsureFolderAsync(ct).ConfigureAwait(false);

        foreach (var entry in manifest.Files)
        {
            // The trainer's size and SHA-256, not a second pass over gigabytes: the download checks them.
            // (MD5 is left empty: neither destination uses it for an upload; S3's multipart resume hashes its parts itself.)
            var hashes = new FileHashes(entry.Bytes, entry.Sha256, "");
            await destination.UploadAsync(new BundleFile($"{folder}/{entry.Name}", Path.Combine(localDir, entry.Name), hashes), progress, ct)
                .ConfigureAwait(false);
        }
        // The marker goes last: until it is stored, resume does not see this checkpoint.
        var manifestHashes = await FileHashes.ComputeAsync(manifestPath, null, ct).ConfigureAwait(false);
        await destination.UploadAsync(new BundleFile($"{folder}/{CheckpointManifest.FileName}", manifestPath, manifestHashes), progress, ct)
            .ConfigureAwait(false);
        return new StoredCheckpoint(step, folder, manifest);
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> ListCompleteAsync(CancellationToken ct = default)
    {
        var listing = await destination.ListAsync(ct).ConfigureAwait(false);
        var found = new List<StoredCheckpoint>();
        foreach (var file in listing)
        {
            if (StepOfManifestPath(file.RelativePath) is not { } step) continue;
            var folder = CheckpointFiles.StepFolderName(step);
            var manifest = await ReadManifestAsync(file.RelativePath, ct).ConfigureAwait(false);
            var present = listing.Where(f => f.RelativePath.StartsWith(folder + "/", StringComparison.Ordinal))
                .ToDictionary(f => f.RelativePath[(folder.Length + 1)..], f => f.Size, StringComparer.Ordinal);
            // A manifest whose files are missing or truncated (someone deleted objects) is not complete either.
            if (manifest.Step == step && manifest.Files.All(f => present.TryGetValue(f.Name, out var size) && size == f.Bytes))
                found.Add(new StoredCheckpoint(step, folder, manifest));
        }
        return found.OrderByDescending(c => c.Step).ToList();
    }

    /// <summary>The step of a "step-NNNNNNNNN/manifest.json" path (the trainer's folder names), or null for any other path.</summary>
    public static long? StepOfManifestPath(string relativePath) =>
        relativePath.Split('/') is [var folder, CheckpointManifest.FileName] && CheckpointFiles.TryParseStep(folder, out var step)
            ? step
            : null;

    public async Task<LocalCheckpoint?> DownloadLatestAsync(string localRoot, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        progress ??= new Progress<long>();
        var problems = new List<string>();
        foreach (var checkpoint in await ListCompleteAsync(ct).ConfigureAwait(false))
        {
            try
            {
                return await DownloadVerifiedAsync(checkpoint, localRoot, progress, ct).ConfigureAwait(false);
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
        return checkpoint is null ? null : await DownloadVerifiedAsync(checkpoint, localRoot, progress ?? new Progress<long>(), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Every listed file checked against the manifest, then the manifest itself last, as the trainer saves. A folder
    /// that already holds this very save (a spot VM restarted on its own disk) is kept as it is: the same manifest
    /// and every file at its size; the trainer checks the hashes when it resumes from it.
    /// </summary>
    private async Task<LocalCheckpoint> DownloadVerifiedAsync(StoredCheckpoint checkpoint, string localRoot, IProgress<long> progress, CancellationToken ct)
    {
        var target = Path.Combine(localRoot, checkpoint.Folder);
        if (AlreadyHere(checkpoint, target)) return new LocalCheckpoint(checkpoint.Step, target, checkpoint);
        Directory.CreateDirectory(target);
        var stale = Path.Combine(target, CheckpointManifest.FileName);
        if (File.Exists(stale)) File.Delete(stale); // until the files below are in, this folder is not a finished checkpoint
        foreach (var file in checkpoint.Files)
        {
            var path = Path.Combine(target, file.Name);
            var partial = path + ".partial";
            await DownloadToAsync($"{checkpoint.Folder}/{file.Name}", partial, progress, ct).ConfigureAwait(false);
            var (size, sha256) = await FileSha256.OfAsync(partial, ct).ConfigureAwait(false);
            if (size != file.Bytes || !string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(partial);
                throw new InvalidDataException(
                    $"{Description}/{checkpoint.Folder}/{file.Name}: downloaded {size} bytes sha256 {sha256}, "
                    + $"the manifest says {file.Bytes} bytes sha256 {file.Sha256}");
            }
            File.Move(partial, path, overwrite: true);
        }
        await DownloadToAsync($"{checkpoint.Folder}/{CheckpointManifest.FileName}", stale + ".partial", progress, ct).ConfigureAwait(false);
        File.Move(stale + ".partial", stale, overwrite: true);
        return new LocalCheckpoint(checkpoint.Step, target, checkpoint);
    }

    private static bool AlreadyHere(StoredCheckpoint checkpoint, string target)
    {
        var path = Path.Combine(target, CheckpointManifest.FileName);
        if (!File.Exists(path)) return false;
        try
        {
            var local = TrainerManifest.Parse(File.ReadAllBytes(path), path);
            return local.Step == checkpoint.Step && local.CreatedUtc == checkpoint.Manifest.CreatedUtc
                && local.Files.SequenceEqual(checkpoint.Files)
                && checkpoint.Files.All(f => new FileInfo(Path.Combine(target, f.Name)) is { Exists: true } info && info.Length == f.Bytes);
        }
        catch (InvalidDataException) { return false; }
    }

    private async Task DownloadToAsync(string relativePath, string path, IProgress<long> progress, CancellationToken ct)
    {
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await destination.DownloadAsync(relativePath, output, progress, ct).ConfigureAwait(false);
    }

    private async Task<CheckpointManifest> ReadManifestAsync(string relativePath, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await destination.DownloadAsync(relativePath, buffer, new Progress<long>(), ct).ConfigureAwait(false);
        return TrainerManifest.Parse(buffer.ToArray(), $"{Description}/{relativePath}");
    }

    public ValueTask DisposeAsync() => destination.DisposeAsync();
}
