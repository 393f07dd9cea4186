namespace Kit.Aws.Launch;

/// <summary>
/// What a training VM needs to know to start or resume its run on every boot. The trainer reads
/// <see cref="CheckpointStoreVariable"/> and <see cref="SpotWatchVariable"/> from its environment.
/// </summary>
public sealed record TrainingRunSettings(string RunName, string RepoUrl, string CheckpointStore, string Region)
{
    /// <summary>Where checkpoints sync to and resume from, e.g. s3://bucket/runs/NAME.</summary>
    public const string CheckpointStoreVariable = "KIT_CHECKPOINT_STORE";

    /// <summary>"1" on a spot VM: the trainer starts a <see cref="Spot.SpotInterruptionWatcher"/>.</summary>
    public const string SpotWatchVariable = "KIT_SPOT_WATCH";

    public const string RunNameVariable = "KIT_RUN_NAME";

    /// <summary>Where the run's dataset is stored (s3://bucket/runs/NAME/dataset); the boot script fetches it before training.</summary>
    public const string DatasetStoreVariable = "KIT_DATASET_STORE";

    /// <summary>The folder on the VM the dataset is fetched into: where the run config's lists expect it.</summary>
    public const string DatasetDirVariable = "KIT_DATASET_DIR";

    /// <summary>The run's dataset store, or null when the dataset is on the image (no --dataset).</summary>
    public string? DatasetStore { get; init; }

    /// <summary>Where on the VM the dataset goes (see <see cref="RunAddresses.DatasetDirOnVm"/>); set with <see cref="DatasetStore"/>.</summary>
    public string? DatasetDir { get; init; }

    public string RepoRef { get; init; } = "main";
    public string KitDir { get; init; } = "/opt/kit";
    public IReadOnlyList<string> TrainArgs { get; init; } = [];
    public string DotnetChannel { get; init; } = "10.0";
}
