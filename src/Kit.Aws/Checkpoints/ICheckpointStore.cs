namespace Kit.Aws.Checkpoints;

/// <summary>
/// Where a training run's checkpoints live beyond the VM's disk, so a new VM (another zone or region) resumes.
/// The trainer calls <see cref="UploadAsync"/> after each save (through <see cref="CheckpointSync"/>, in the
/// background) and <see cref="DownloadLatestAsync"/> when it starts. A checkpoint counts only once its
/// manifest is stored, and the manifest is written after every file it lists: an upload cut off by an
/// interruption is never picked.
/// </summary>
public interface ICheckpointStore : IAsyncDisposable
{
    /// <summary>Where this is, for people: "s3://bucket/runs/x", "/mnt/checkpoints/x".</summary>
    string Description { get; }

    /// <summary>Uploads every file under <paramref name="localDir"/> as the checkpoint of <paramref name="step"/>, manifest last.</summary>
    Task<StoredCheckpoint> UploadAsync(long step, string localDir, IProgress<long>? progress = null, CancellationToken ct = default);

    /// <summary>The complete checkpoints (those with a manifest), newest step first.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ListCompleteAsync(CancellationToken ct = default);

    /// <summary>
    /// Downloads the newest complete checkpoint into <paramref name="localRoot"/>/NAME/ (NAME: the folder's name
    /// when it was uploaded), checking every file's
    /// size and SHA-256 against the manifest (falling back to an older one if it does not match); null when
    /// the store holds none.
    /// </summary>
    Task<LocalCheckpoint?> DownloadLatestAsync(string localRoot, IProgress<long>? progress = null, CancellationToken ct = default);
}

/// <summary>A complete checkpoint in the store.</summary>
/// <param name="LocalName">The folder's name where it was saved (e.g. the trainer's "step-000001234"); a download
/// recreates it under that name so the trainer finds its own layout.</param>
public sealed record StoredCheckpoint(long Step, string Folder, DateTime CreatedUtc, IReadOnlyList<CheckpointFile> Files, string? LocalName = null)
{
    public long TotalBytes => Files.Sum(f => f.Size);
}

/// <summary>A checkpoint downloaded to this machine.</summary>
public sealed record LocalCheckpoint(long Step, string Directory, StoredCheckpoint Source);

/// <summary>One file of a checkpoint, path relative to the checkpoint folder with forward slashes.</summary>
public sealed record CheckpointFile(string Path, long Size, string Sha256);
