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

    public string RepoRef { get; init; } = "main";
    public string KitDir { get; init; } = "/opt/kit";
    public IReadOnlyList<string> TrainArgs { get; init; } = [];
    public string DotnetChannel { get; init; } = "10.0";
}
