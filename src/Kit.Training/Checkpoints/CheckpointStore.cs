using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kit.Training.Checkpoints;

/// <summary>
/// The run folder's checkpoints: saves them atomically, keeps the last K plus the best by the run's best metric
/// (best.json names it and its value; see <see cref="Metrics.BestMetric"/>),
/// refuses a save that would not fit on the disk, and finds the newest one that reads back intact.
/// </summary>
public sealed class CheckpointStore
{
    private const string PartialPrefix = ".partial-";
    private const string DeletingPrefix = ".deleting-";

    public CheckpointStore(string runDirectory, int keepLast = 3)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), "keep at least the last checkpoint");
        RunDirectory = Path.GetFullPath(runDirectory);
        Folder = Path.Combine(RunDirectory, CheckpointFiles.CheckpointsFolder);
        KeepLast = keepLast;
        Directory.CreateDirectory(Folder);
    }

    public string RunDirectory { get; }
    public string Folder { get; }
    public int KeepLast { get; }

    /// <summary>
    /// For a test that kills `kit train` mid-save: KIT_TEST_HOLD_SAVE_STEP=N stops the save of step N for good
    /// between its files and its manifest, so the kill lands there however slow or fast the machine is.
    /// </summary>
    private static readonly long? TestHoldSaveStep = long.TryParse(Environment.GetEnvironmentVariable("KIT_TEST_HOLD_SAVE_STEP"), out var held) ? held : null;

    public string PathOf(long step) => Path.Combine(Folder, CheckpointFiles.StepFolderName(step));

    /// <summary>Steps of the checkpoint folders that finished renaming (they may still be damaged later).</summary>
    public IReadOnlyList<long> Steps() =>
        Directory.EnumerateDirectories(Folder)
            .Select(d => CheckpointFiles.TryParseStep(Path.GetFileName(d), out var s) ? s : -1)
            .Where(s => s >= 0).Order().ToList();

    public BestCheckpoint? Best
    {
        get
        {
            var path = Path.Combine(Folder, CheckpointFiles.BestFile);
            if (!File.Exists(path)) return null;
            try { return JsonSerializer.Deserialize<BestCheckpoint>(File.ReadAllText(path), CheckpointManifest.Json); }
            catch (JsonException) { return null; }
        }
    }

    /// <summary>
    /// Saves a checkpoint for <paramref name="step"/>. <paramref name="write"/> writes the files; the manifest
    /// comes last and the folder appears under its real name only when complete. Throws
    /// <see cref="InsufficientSpaceException"/> before writing anything when the disk lacks room.
    /// </summary>
    public SavedCheckpoint Save(long step, double? validationLoss, long expectedBytes, Action<CheckpointWriter> write) =>
        Save(step, expectedBytes, write, validationLoss is { } v ? new MetricValue(Metrics.BestMetric.ValidationLoss, v) : null);

    /// <summary>
    /// As above, the checkpoint becoming the best when <paramref name="best"/> beats best.json's value: best.json
    /// of another metric (the setting changed, or an old file by validation loss) is replaced by the first value.
    /// </summary>
    public SavedCheckpoint Save(long step, long expectedBytes, Action<CheckpointWriter> write, MetricValue? best)
    {
        RemoveLeftovers();
        var lastSize = Steps().Select(s => SizeOf(PathOf(s))).DefaultIfEmpty(0).Max();
        DiskSpace.EnsureRoom(Folder, Math.Max(expectedBytes, lastSize), $"the checkpoint for step {step}");

        var partial = Path.Combine(Folder, PartialPrefix + CheckpointFiles.StepFolderName(step));
        Directory.CreateDirectory(partial);
        var writer = new CheckpointWriter(partial);
        try
        {
            write(writer);
            if (step == TestHoldSaveStep) Thread.Sleep(Timeout.Infinite);
            var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormat, step, DateTime.UtcNow,
                writer.Names.Select(n => CheckpointManifest.Describe(partial, n)).ToList());
            writer.WriteManifest(manifest);
            AtomicFile.SyncDirectory(partial);

            var final = PathOf(step);
            if (Directory.Exists(final)) ReplaceOrKeepDamaged(final);
            AtomicFile.MoveDirectory(partial, final);

            var previous = Best;
            var isBest = best is { } candidate && candidate.Metric.IsBetter(candidate.Value,
                previous is not null && previous.MetricName == candidate.Metric.Name && Directory.Exists(PathOf(previous.Step)) ? previous.MetricValue : null);
            if (isBest)
                AtomicFile.WriteAllText(Path.Combine(Folder, CheckpointFiles.BestFile),
                    JsonSerializer.Serialize(BestCheckpoint.Of(step, best!), CheckpointManifest.Json));
            Prune();
            return new SavedCheckpoint(step, final, manifest.TotalBytes, isBest);
        }
        catch
        {
            try { if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>
    /// The newest checkpoint whose manifest and checksums hold, or null when none does. Damaged ones are
    /// reported through <paramref name="skipped"/> (and left on disk for a person to look at).
    /// </summary>
    public LoadedCheckpoint? FindNewestReadable(Action<string>? skipped = null) => ReadableNewestFirst(skipped).FirstOrDefault();

    /// <summary>
    /// The checkpoint best.json names when it reads back intact, else the newest that does (null when none):
    /// what a run folder stands for in `kit speak` and wherever weights are read from one. A best step passed
    /// over is reported through <paramref name="skipped"/>.
    /// </summary>
    public LoadedCheckpoint? FindBestOrNewestReadable(Action<string>? skipped = null)
    {
        if (Best is { } best && Steps().Contains(best.Step))
        {
            if (Readable(best.Step, out var problem) is { } loaded) return loaded;
            skipped?.Invoke($"Skipping checkpoint {PathOf(best.Step)} (the best by {best.MetricName}): {problem}");
        }
        return FindNewestReadable(skipped);
    }

    /// <summary>
    /// Every checkpoint whose manifest and checksums hold, newest first, checked one at a time as the caller
    /// asks for the next: resume takes the first that also loads, and falls back past one that does not.
    /// </summary>
    public IEnumerable<LoadedCheckpoint> ReadableNewestFirst(Action<string>? skipped = null)
    {
        foreach (var step in Steps().Reverse())
        {
            if (Readable(step, out var problem) is { } loaded) { yield return loaded; continue; }
            skipped?.Invoke($"Skipping checkpoint {PathOf(step)}: {problem}");
        }
    }

    private LoadedCheckpoint? Readable(long step, out string? problem)
    {
        var folder = PathOf(step);
        var manifest = CheckpointManifest.Verify(folder, out problem);
        TrainingProgress? progress = null;
        if (manifest is not null)
        {
            try { progress = JsonSerializer.Deserialize<TrainingProgress>(File.ReadAllText(Path.Combine(folder, TrainingProgress.FileName)), CheckpointManifest.Json); }
            catch (Exception e) when (e is JsonException or IOException) { problem = $"{folder}/{TrainingProgress.FileName}: {e.Message}"; }
            if (progress is null && problem is null) problem = $"{folder}/{TrainingProgress.FileName} is missing or empty";
        }
        return manifest is not null && progress is not null ? new LoadedCheckpoint(step, folder, manifest, progress) : null;
    }

    /// <summary>Keeps the newest <see cref="KeepLast"/> and the best; removes the rest (renamed away first, so a kill mid-delete leaves no half folder under a real name).</summary>
    private void Prune()
    {
        var steps = Steps();
        var keep = steps.TakeLast(KeepLast).ToHashSet();
        if (Best is { } best) keep.Add(best.Step);
        foreach (var step in steps.Where(s => !keep.Contains(s))) MoveAside(PathOf(step));
        RemoveLeftovers();
    }

    /// <summary>
    /// A step saved again (after a rollback or a resume past damaged checkpoints): an intact folder of that
    /// step is replaced, a damaged one is left for a person under another name (step-N.damaged-TIME), which no
    /// resume, export or pruning takes for a checkpoint.
    /// </summary>
    private void ReplaceOrKeepDamaged(string folder)
    {
        if (CheckpointManifest.Verify(folder, out var problem) is not null) { MoveAside(folder); return; }
        var kept = $"{folder}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmss}";
        Directory.Move(folder, kept);
        Damaged?.Invoke($"Kept the damaged checkpoint {Path.GetFileName(folder)} for a person as {kept} ({problem}); saving this step afresh");
    }

    /// <summary>Hears when a damaged checkpoint folder is set aside rather than overwritten.</summary>
    public Action<string>? Damaged { get; set; }

    private void MoveAside(string folder)
    {
        var aside = Path.Combine(Folder, DeletingPrefix + Path.GetFileName(folder) + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.Move(folder, aside);
    }

    /// <summary>Partial saves from a killed process and folders being deleted: never resumable, safe to remove.</summary>
    private void RemoveLeftovers()
    {
        foreach (var dir in Directory.EnumerateDirectories(Folder))
        {
            var name = Path.GetFileName(dir);
            if (!name.StartsWith(PartialPrefix, StringComparison.Ordinal) && !name.StartsWith(DeletingPrefix, StringComparison.Ordinal)) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static long SizeOf(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles().Sum(f => f.Length) : 0;
}

public sealed record SavedCheckpoint(long Step, string Folder, long Bytes, bool IsBest);

public sealed record LoadedCheckpoint(long Step, string Folder, CheckpointManifest Manifest, TrainingProgress Progress)
{
    public string PathOf(string name) => Path.Combine(Folder, name);
}

/// <summary>A best-metric candidate: the metric and its value at a validation.</summary>
public sealed record MetricValue(Metrics.BestMetric Metric, double Value);

/// <summary>
/// checkpoints/best.json: {"step": 1200, "metric": "dev_free/mcd_db", "value": 5.1, "folder": "step-000001200"},
/// with "val_loss" as well when the metric is the validation loss. Files from before the metric was named
/// hold only step, val_loss and folder: they read as best by dev_epoch/loss.
/// </summary>
public sealed record BestCheckpoint(
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("val_loss"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ValidationLoss,
    [property: JsonPropertyName("folder")] string FolderName)
{
    [JsonPropertyName("metric"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Metric { get; init; }
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? Value { get; init; }

    /// <summary>The metric the step was best by (an old file's: the validation loss).</summary>
    [JsonIgnore] public string MetricName => Metric ?? Metrics.BestMetric.ValidationLoss.Name;
    [JsonIgnore] public double MetricValue => Value ?? ValidationLoss ?? double.NaN;

    public static BestCheckpoint Of(long step, MetricValue best) =>
        new(step, best.Metric == Metrics.BestMetric.ValidationLoss ? best.Value : null, CheckpointFiles.StepFolderName(step))
        { Metric = best.Metric.Name, Value = best.Value };
}
