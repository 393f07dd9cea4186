using Kit.Training.Metrics;
using Kit.Display.Html;
using Kit.Display;
using Kit.Training.Checkpoints;
using Kit.Training.Config;

namespace Kit.Export.Bundles;

/// <summary>What to export from a run and how the bundle lays it out.</summary>
public sealed record BundleOptions
{
    /// <summary>The step to export; null = the best by validation (else the last saved).</summary>
    public long? Step { get; init; }

    /// <summary>Also export the optimizer/scheduler state (large; only needed to keep training elsewhere).</summary>
    public bool WithTrainingState { get; init; }

    /// <summary>How many audio samples to include.</summary>
    public int MaxSamples { get; init; } = 4;
}

/// <summary>
/// Picks a run's files for a bundle and hashes them (cached in the export state, so a re-run does not
/// re-read unchanged gigabytes). Bundle layout:
/// run.yml, settings.json, metrics.jsonl, weights/*, training_state/* (if asked: training_state.pt and
/// the trainer's state.json), samples/*, plots/*, tensorboard/*, and manifest.json, written last. The trainer's
/// own checkpoint manifest.json stays behind: the bundle's manifest covers every file it holds.
/// </summary>
public static class BundlePlanner
{
    public const string WeightsFolder = "weights";
    public const string TrainingStateFolder = "training_state";

    public sealed record Plan(string Run, long Step, double? ValLoss, bool WithTrainingState, IReadOnlyList<BundleFile> Files)
    {
        /// <summary>The trainer's manifest of the exported step, which every checkpoint file matched; it travels in the bundle's manifest.</summary>
        public CheckpointManifest? Checkpoint { get; init; }

        /// <summary>Steps passed over because their files did not match the trainer's manifest, each with why.</summary>
        public IReadOnlyList<string> Skipped { get; init; } = [];

        public long TotalBytes => Files.Sum(f => f.Size);

        /// <summary>The bundle's files for people: path, size and where each comes from, with a total.</summary>
        public Table Table() => new(
            ["file", "size", "from"],
            [.. Files.Select(f => new object?[] { f.RelativePath, ByteSize.Format(f.Size), f.SourcePath }),
             new object?[] { $"{Files.Count} files", ByteSize.Format(TotalBytes), $"run '{Run}', step {Step}" }],
            $"bundle of run '{Run}', step {Step}" + (ValLoss is { } v ? $" (val_loss {v:G5})" : "") +
            (WithTrainingState ? ", with training state" : ""));

        public BundleManifest Manifest(DateTimeOffset created) => new(
            BundleManifest.CurrentKitVersion, Run, Step, ValLoss, created, WithTrainingState,
            Files.Select(f => new ManifestEntry(f.RelativePath, f.Size, f.Hashes.Sha256, f.Hashes.Md5)).ToList())
        {
            Checkpoint = Checkpoint,
        };
    }

    public static async Task<Plan> PlanAsync(RunFolder run, BundleOptions options, ExportState state,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default, IExportLog? log = null)
    {
        var (step, valLoss, checkpoint, skipped) = await ChooseIntactStepAsync(run, options.Step, state, log, ct);
        var picked = new List<(string Relative, string Source)>();

        // The bundle names the record run.yml, an older run folder's config.yaml too: one name wherever it lands.
        picked.Add((CheckpointFiles.ConfigFile, RunConfigFile.InFolder(run.Root)));
        foreach (var optional in new[] { CheckpointFiles.SettingsFile, MetricsLog.FileName })
            if (File.Exists(run.Path(optional))) picked.Add((optional, run.Path(optional)));

        // Exactly the files the trainer's manifest lists (and checked against it): a file someone added to the
        // step folder later is no part of the checkpoint.
        var stepDir = run.StepFolder(step);
        foreach (var name in checkpoint.Files.Select(f => f.Name).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(stepDir, name);
            switch (RunFolder.KindOf(name))
            {
                case CheckpointFileKind.InferenceWeights:
                    picked.Add(($"{WeightsFolder}/{name}", file));
                    break;
                case CheckpointFileKind.TrainingState when options.WithTrainingState:
                    picked.Add(($"{TrainingStateFolder}/{name}", file));
                    break;
            }
        }
        if (!picked.Any(p => p.Relative.StartsWith(WeightsFolder + "/", StringComparison.Ordinal)))
            throw new InvalidOperationException($"{stepDir}: no inference weights (only the training state and the trainer's bookkeeping, or nothing)");

        foreach (var sample in ChooseSamples(run, step, options.MaxSamples))
            picked.Add(($"{CheckpointFiles.SamplesFolder}/{Path.GetFileName(sample)}", sample));
        foreach (var plot in SortedFiles(run.Path(CheckpointFiles.PlotsFolder)))
            picked.Add(($"{CheckpointFiles.PlotsFolder}/{Path.GetFileName(plot)}", plot));
        // TensorBoard's event files are small and let the user look at the curves wherever the voice lands.
        var tensorBoard = run.Path(CheckpointFiles.TensorBoardFolder);
        foreach (var events in SortedFilesBelow(tensorBoard))
            picked.Add(($"{CheckpointFiles.TensorBoardFolder}/{Path.GetRelativePath(tensorBoard, events).Replace('\\', '/')}", events));

        var files = new List<BundleFile>(picked.Count);
        var hashing = new ProgressTally("hashing", picked.Sum(p => new FileInfo(p.Source).Length), progress);
        foreach (var (relative, source) in picked)
        {
            hashing.File = relative;
            files.Add(new BundleFile(relative, source, await state.HashAsync(source, hashing, ct)));
        }
        return new Plan(run.Name, step, valLoss, options.WithTrainingState, files) { Checkpoint = checkpoint, Skipped = skipped };
    }

    /// <summary>
    /// The first candidate step (the one asked for; else the best, then newest first) whose files match the
    /// trainer's manifest, written when the step was saved. A bundle's own manifest is made from the files it
    /// ships, so it must never be the only check: a file damaged after the save would be shipped as verified.
    /// The hashes go into the export state's cache, so the bundle reuses them.
    /// </summary>
    private static async Task<(long Step, double? ValLoss, CheckpointManifest Checkpoint, IReadOnlyList<string> Skipped)> ChooseIntactStepAsync(
        RunFolder run, long? requested, ExportState state, IExportLog? log, CancellationToken ct)
    {
        var candidates = run.CandidateSteps(requested);
        var skipped = new List<string>();
        foreach (var (step, valLoss) in candidates)
        {
            var folder = run.StepFolder(step);
            var problem = await ProblemAsync(folder, state, ct);
            if (problem.Manifest is { } manifest)
            {
                if (skipped.Count > 0)
                    log?.Info($"exporting step {step}, the newest intact checkpoint" + (requested is null && run.Best() is { } best && best.Step == candidates[0].Step ? $" (the best by {best.Metric ?? "dev_epoch/loss"}, step {best.Step}, is damaged)" : ""));
                return (step, valLoss, manifest, skipped);
            }
            var line = $"step {step}: {problem.Why}";
            skipped.Add(line);
            if (requested is not null)
                throw new InvalidDataException($"checkpoint step {step} does not match the trainer's manifest, so it is not exported: {problem.Why}. " +
                                               "Leave out --step to export the newest intact checkpoint.");
            log?.Info($"skipping checkpoint {line}");
        }
        throw new InvalidDataException($"{run.Path(CheckpointFiles.CheckpointsFolder)}: no checkpoint matches the trainer's manifest, so there is nothing intact to export ({string.Join("; ", skipped)})");
    }

    private static async Task<(CheckpointManifest? Manifest, string? Why)> ProblemAsync(string folder, ExportState state, CancellationToken ct)
    {
        var manifest = CheckpointManifest.Read(folder, out var problem);
        if (manifest is null) return (null, problem);
        foreach (var entry in manifest.Files)
        {
            var file = Path.Combine(folder, entry.Name);
            if (!File.Exists(file)) return (null, $"{file} is missing");
            if (new FileInfo(file).Length != entry.Bytes) return (null, CheckpointManifest.Mismatch(file, entry, new FileInfo(file).Length, ""));
            var hashes = await state.HashAsync(file, null, ct);
            if (CheckpointManifest.Mismatch(file, entry, hashes.Size, hashes.Sha256) is { } why) return (null, why);
        }
        return (manifest, null);
    }

    /// <summary>Samples of the exported step when the trainer named them so, else the latest ones by name.</summary>
    private static IEnumerable<string> ChooseSamples(RunFolder run, long step, int max)
    {
        var all = SortedFiles(run.Path(CheckpointFiles.SamplesFolder))
            .Where(f => f.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)).ToList();
        var prefix = CheckpointFiles.StepFolderName(step);
        var ofStep = all.Where(f => Path.GetFileName(f).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return (ofStep.Count > 0 ? ofStep : all).TakeLast(max);
    }

    private static IEnumerable<string> SortedFilesBelow(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
                .Order(StringComparer.Ordinal)
            : [];

    private static IEnumerable<string> SortedFiles(string dir) =>
        Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)
            : [];
}
