namespace Kit.Training.Checkpoints;

/// <summary>
/// File names inside the run folder and inside one checkpoint, declared here once: the trainer writes by them
/// and Kit.Export's RunFolder reads by them (the file that owns a format keeps its own name: MetricsLog,
/// TrainingProgress, CheckpointManifest, RunFolderLock). Inference weights (small, what export
/// reads) live apart from the training state (optimizer moments, scheduler: large, only needed to resume).
/// </summary>
public static class CheckpointFiles
{
    public const string CheckpointsFolder = "checkpoints";
    public const string BestFile = "best.json";
    public const string InferenceWeights = "model.pth";
    public const string TrainingState = "training_state.pt";
    public const string StopFile = "STOP";
    /// <summary>The run's config (<see cref="Config.RunConfigFile"/>: an older run folder's config.yaml is read through <see cref="Config.RunConfigFile.InFolder"/>).</summary>
    public const string ConfigFile = Config.RunConfigFile.FileName;
    public const string SamplesFolder = "samples";
    public const string PlotsFolder = "plots";
    public const string TensorBoardFolder = "tensorboard";
    /// <summary>The kit settings a run used (optional; exported when present).</summary>
    public const string SettingsFile = "settings.json";

    public static string StepFolderName(long step) => $"step-{step:D9}";

    public static bool TryParseStep(string folderName, out long step)
    {
        step = 0;
        return folderName.StartsWith("step-", StringComparison.Ordinal) && folderName.Length == 14
            && long.TryParse(folderName.AsSpan(5), System.Globalization.NumberStyles.None, null, out step);
    }
}
