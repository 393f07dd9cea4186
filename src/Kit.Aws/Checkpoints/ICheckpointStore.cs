using Kit.Training.Checkpoints;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// Where a training run's checkpoints live beyond the VM's disk, so a new VM (another zone or region) resumes.
/// The trainer calls <see cref="UploadAsync"/> after each save (through <see cref="CheckpointSync"/>, in the
/// background) and <see cref="DownloadLatestAsync"/> when it starts. A stored checkpoint is the trainer's own
/// folder, <c>step-NNNNNNNNN/</c> (<see cref="CheckpointFiles.StepFolderName"/>), and counts only once the
/// trainer's <c>manifest.json</c> (<see cref="CheckpointManifest"/>) is stored, which is uploaded after every
/// file it lists: an upload cut off by an interruption is never picked.
/// </summary>
public interface ICheckpointStore : IAsyncDisposable
{
    /// <summary>Where this is, for people: "s3://bucket/runs/x/checkpoints", "/mnt/checkpoints/x".</summary>
    string Description { get; }

    /// <summary>Uploads the trainer's checkpoint folder <paramref name="localDir"/> (the files its manifest lists), the manifest last.</summary>
    Task<StoredCheckpoint> UploadAsync(long step, string localDir, IProgress<long>? progress = null, CancellationToken ct = default);

    /// <summary>The complete checkpoints (a manifest and every file it lists, at its size), newest step first.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ListCompleteAsync(CancellationToken ct = default);

    /// <summary>
    /// Downloads the newest complete checkpoint into <paramref name="localRoot"/>/step-NNNNNNNNN/, checking every
    /// file's size and SHA-256 against the manifest (falling back to an older one if it does not match); null
    /// when the store holds none.
    /// </summary>
    Task<LocalCheckpoint?> DownloadLatestAsync(string localRoot, IProgress<long>? progress = null, CancellationToken ct = default);
}

/// <summary>A complete checkpoint in the store: its step folder's name and the trainer's manifest of it.</summary>
public sealed record StoredCheckpoint(long Step, string Folder, CheckpointManifest Manifest)
{
    public IReadOnlyList<ManifestEntry> Files => Manifest.Files;

    public long TotalBytes => Manifest.TotalBytes;

    public DateTime CreatedUtc => Manifest.CreatedUtc;
}

/// <summary>A checkpoint downloaded to this machine.</summary>
public sealed record LocalCheckpoint(long Step, string Directory, StoredCheckpoint Source);
