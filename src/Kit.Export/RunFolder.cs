using System.Text.Json;

using Kit.Export.Bundles;
using Kit.Training.Checkpoints;

namespace Kit.Export;

/// <summary>
/// The run-folder contract the trainer writes and the exporter reads, by the names the trainer declares once
/// (<see cref="CheckpointFiles"/>, <see cref="MetricsLog"/>, <see cref="TrainingProgress"/>, <see cref="CheckpointManifest"/>):
/// <code>
/// RUN_DIR/
///   run.yml                             run config (required; config.yaml in run folders of older kits)
///   settings.json                       kit settings the run used (optional)
///   metrics.jsonl                       one JSON object per line (optional but expected)
///   tensorboard/                        TensorBoard event files (small; exported with the logs)
///   checkpoints/
///     step-000001200/                   one folder per saved step, 9 digits, zero-padded
///       model.pth, *.safetensors, ...   inference weights: every file not named below
///       training_state.pt               optimizer, scheduler, RNG: only exported when asked
///       state.json                      the trainer's step/epoch/settings: travels with the training state
///       manifest.json                   the trainer's own checksums of this folder, written at save time: the
///                                       export checks the step against it and carries it inside the bundle's
///                                       manifest.json (never as a file of its own)
///     best.json                         {"step": 1200, "metric": "dev_free/mcd_db", "value": 5.1}: the best
///                                       step by the run's best metric ({"step": 1200, "val_loss": 0.123} in
///                                       runs from before it was named: by the validation loss)
///   samples/*.wav                       audio samples; names starting with "step-000001200" belong to that step
///   plots/*                             charts (svg/png/html)
///   .export-state.json                  the exporter's own resume state (never exported)
///   .kit-lock                           held while a run trains (RunFolderLock; never exported)
/// /// </code>
/// </summary>
public sealed class RunFolder
{
    /// <summary>The exporter's own file; every other name is the trainer's (<see cref="CheckpointFiles"/>).</summary>
    public const string ExportStateFile = ".export-state.json";

    public string Root { get; }

    /// <summary>The run's name: its folder's name.</summary>
    public string Name => System.IO.Path.GetFileName(Root.TrimEnd('/', '\\'));

    public RunFolder(string root)
    {
        Root = System.IO.Path.GetFullPath(root);
        if (!Directory.Exists(Root))
            throw new DirectoryNotFoundException($"run folder not found: {Root}");
        if (!File.Exists(Kit.Training.Config.RunConfigFile.InFolder(Root)))
            throw new FileNotFoundException($"{Path(CheckpointFiles.ConfigFile)}: missing; a run folder holds the run's {CheckpointFiles.ConfigFile} (see the README's run-folder contract)");
    }

    public string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public string StepFolder(long step) => System.IO.Path.Combine(Root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.StepFolderName(step));

    /// <summary>Every saved step, in order.</summary>
    public IReadOnlyList<long> Steps()
    {
        var dir = Path(CheckpointFiles.CheckpointsFolder);
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateDirectories(dir)
            .Select(d => CheckpointFiles.TryParseStep(System.IO.Path.GetFileName(d), out var s) ? s : -1)
            .Where(s => s >= 0)
            .Order()
            .ToList();
    }

    /// <summary>The best step by the run's best metric (checkpoints/best.json), or null when the trainer wrote none.</summary>
    public BestCheckpoint? Best()
    {
        var file = System.IO.Path.Combine(Root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.BestFile);
        if (!File.Exists(file)) return null;
        try
        {
            var best = JsonSerializer.Deserialize(File.ReadAllText(file), ExportJson.Default.BestCheckpoint);
            return best ?? throw new InvalidDataException("empty");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{file}: not a best-checkpoint pointer ({e.Message}); expected {{\"step\": 1200, \"val_loss\": 0.123}}", e);
        }
    }

    /// <summary>
    /// The step to export before any checksum is checked: the one asked for, else the best by validation, else
    /// the last saved step. <see cref="CandidateSteps"/> gives the order to fall back in.
    /// </summary>
    public (long Step, double? ValLoss) ChooseStep(long? requested) => CandidateSteps(requested)[0];

    /// <summary>
    /// The steps to try, in order: only the one asked for; else the best by validation, then every saved step
    /// newest first (the exporter takes the first whose files match the trainer's manifest).
    /// </summary>
    public IReadOnlyList<(long Step, double? ValLoss)> CandidateSteps(long? requested)
    {
        var steps = Steps();
        if (steps.Count == 0)
            throw new InvalidOperationException($"{Path(CheckpointFiles.CheckpointsFolder)}: no checkpoint folders (step-NNNNNNNNN) to export");
        var best = Best();
        double? LossOf(long step) => best?.Step == step ? best.ValLoss : null;
        if (requested is { } r)
        {
            if (!steps.Contains(r))
                throw new ArgumentException($"step {r} has no checkpoint in {Path(CheckpointFiles.CheckpointsFolder)}; saved steps: {string.Join(", ", steps)}");
            return [(r, LossOf(r))];
        }
        if (best is not null && !steps.Contains(best.Step))
            throw new InvalidDataException($"{System.IO.Path.Combine(Root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.BestFile)}: points at step {best.Step}, which has no folder {CheckpointFiles.StepFolderName(best.Step)}");
        var order = new List<(long, double?)>();
        if (best is not null) order.Add((best.Step, best.ValLoss));
        order.AddRange(steps.AsEnumerable().Reverse().Where(s => s != best?.Step).Select(s => (s, (double?)null)));
        return order;
    }

    /// <summary>What a file of a step folder is, by its name.</summary>
    public static CheckpointFileKind KindOf(string fileName) => fileName switch
    {
        CheckpointFiles.TrainingState or TrainingProgress.FileName => CheckpointFileKind.TrainingState,
        CheckpointManifest.FileName => CheckpointFileKind.TrainerBookkeeping,
        _ => CheckpointFileKind.InferenceWeights,
    };

}

/// <summary>The three kinds of file in a checkpoint folder.</summary>
public enum CheckpointFileKind
{
    /// <summary>What inference loads: always exported, under weights/.</summary>
    InferenceWeights,
    /// <summary>Only needed to keep training: exported under training_state/ when asked.</summary>
    TrainingState,
    /// <summary>The trainer's own checksums of the folder: never exported.</summary>
    TrainerBookkeeping,
}

/// <summary>checkpoints/best.json: which step validated best, by which metric (null in old files: the validation loss, ValLoss).</summary>
public sealed record BestCheckpoint(long Step, double? ValLoss, string? Metric = null, double? Value = null);
