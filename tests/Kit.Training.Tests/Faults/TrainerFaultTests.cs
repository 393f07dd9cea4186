using Kit.Training.Parameters;
using System.Text.Json;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Tests.Loop;
using Kit.Training.Loop;
using Kit.Training.Metrics;
using Kit.TestSupport;

namespace Kit.Training.Tests.Faults;

/// <summary>
/// Issue 13's faults 2, 3 and 6 in the trainer itself: the run-folder lock, a full disk (through the
/// <see cref="DiskLimit"/> seam, so it runs on any machine), checkpoints that match their manifest yet do not
/// load, damaged step folders, a failed start, a moved run folder; and samples that cannot be made at a validation.
/// </summary>
public sealed class TrainerFaultTests
{
    private static TrainingResult Train(string runDir, long maxSteps, List<string> lines, bool resume = false, int saveFreq = 10, RunConfig? config = null) =>
        Trainer.Run(config ?? TrainerFixture.Config(runDir, saveFreq: saveFreq), new TinyDurationRecipe(), runDirectory: runDir, resume: resume,
            log: l => { lock (lines) lines.Add(l); },
            options: TrainerOptions.FromConfig(config ?? TrainerFixture.Config(runDir, saveFreq: saveFreq)) with { MaxSteps = maxSteps });

    private static long UsedBytes(string dir) => new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    // ---- fault 2: one process per run folder -------------------------------------------------------------

    [Fact]
    public void A_second_lock_on_a_run_folder_is_refused_naming_the_holder_and_a_clean_release_leaves_nothing_to_take_over()
    {
        using var dir = new TempDir();
        var lines = new List<string>();
        using (RunFolderLock.Acquire(dir["run"], "test one", lines.Add))
        {
            var e = Assert.Throws<RunFolderInUseException>(() => RunFolderLock.Acquire(dir["run"], "test two"));
            Assert.Equal(Environment.ProcessId, e.Holder!.ProcessId);
            Assert.Contains($"process {Environment.ProcessId} on host {Environment.MachineName} (test one", e.Message);
            // The trainer takes the same lock: a second run in the same process (two notebook cells) is refused too.
            Assert.Throws<RunFolderInUseException>(() => Train(dir["run"], 5, lines));
        }
        using (RunFolderLock.Acquire(dir["run"], "test three", lines.Add)) { }
        Assert.Empty(lines); // released cleanly both times: no take-over to report
    }

    [Fact]
    public void A_lock_left_by_a_crashed_process_is_taken_over_and_said_so()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["run"]);
        // What a kill -9 leaves: the holder's note, and no process holding the file (the kernel dropped the flock).
        File.WriteAllText(Path.Combine(dir["run"], RunFolderLock.FileName),
            JsonSerializer.Serialize(new LockHolder(999_999, Environment.MachineName, "kit train", DateTime.UtcNow.AddMinutes(-5))));
        var lines = new List<string>();

        var result = Train(dir["run"], 5, lines);

        Assert.Equal(5, result.LastCheckpointStep);
        Assert.Contains(lines, l => l.StartsWith("Took over the run folder's lock") && l.Contains("process 999999 on host"));
    }

    // ---- fault 3: a full disk ------------------------------------------------------------------------------

    [Fact]
    public void The_free_space_check_is_sized_to_the_checkpoint_not_a_fixed_64_MiB()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["disk"]);
        DiskLimit.Set(dir["disk"], 11L << 20);
        try
        {
            DiskSpace.EnsureRoom(dir["disk"], (long)(7.9 * (1 << 20)), "a 7.9 MiB checkpoint"); // fits: refused before
            var e = Assert.Throws<InsufficientSpaceException>(() => DiskSpace.EnsureRoom(dir["disk"], (long)(10.2 * (1 << 20)), "a 10.2 MiB checkpoint"));
            Assert.Equal(11L << 20, e.FreeBytes);
        }
        finally { DiskLimit.Clear(dir["disk"]); }
    }

    [Fact]
    public void A_write_that_fails_mid_save_leaves_no_partial_folder_and_the_checkpoints_before_untouched()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir["run"]);
        store.Save(1, null, 10, w => w.Write("model.pth", s => s.Write(new byte[1000])));
        DiskLimit.Set(dir["run"], UsedBytes(dir["run"]) + (3L << 20)); // passes the free-space check, then fills up
        try
        {
            var e = Assert.Throws<IOException>(() => store.Save(2, null, 10, w => w.Write("model.pth", s => s.Write(new byte[4 << 20]))));
            Assert.Contains("No space left on device", e.Message);
            Assert.Equal([1L], store.Steps());
            Assert.Empty(Directory.GetDirectories(store.Folder, ".partial-*"));
            Assert.NotNull(CheckpointManifest.Verify(store.PathOf(1), out _));
        }
        finally { DiskLimit.Clear(dir["run"]); }
    }

    [Fact]
    public void A_full_disk_keeps_training_says_what_it_kept_and_retries_the_save_until_there_is_room()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var lines = new List<string>();
        var filled = false;
        var result = Trainer.Run(TrainerFixture.Config(runDir, saveFreq: 10), new TinyDurationRecipe(), runDirectory: runDir, log: line =>
        {
            lock (lines) lines.Add(line);
            // After the first checkpoint the disk fills: metrics, TensorBoard and the next save all meet it.
            if (line.StartsWith("Saved checkpoint step 10 ") && !filled) { filled = true; DiskLimit.Set(runDir, UsedBytes(runDir) + 64); }
            // Some steps later the person frees space.
            if (line.StartsWith("Could not save checkpoint step 20")) DiskLimit.Set(runDir, long.MaxValue);
        }, options: TrainerOptions.FromConfig(TrainerFixture.Config(runDir, saveFreq: 10)) with { MaxSteps = 30 });
        DiskLimit.Clear(runDir);

        Assert.Contains(lines, l => l.StartsWith("Could not write metrics.jsonl") && l.Contains("No space left on device"));
        var refused = Assert.Single(lines, l => l.StartsWith("Could not save checkpoint step 20"));
        Assert.Contains("Kept: checkpoint step 10", refused);
        Assert.Contains("retried every step", refused);
        Assert.Contains(lines, l => l.StartsWith("Saved checkpoint step 21 ") && l.Contains("the save that failed at step 20 went through"));
        Assert.Equal(30, result.Step);
        Assert.Equal(30, result.LastCheckpointStep);
        Assert.Equal(0, result.UnsavedSteps);
        Assert.Null(result.SaveError);
    }

    [Fact]
    public void A_disk_that_stays_full_ends_the_run_with_the_lost_steps_counted_never_as_a_success()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var lines = new List<string>();
        var result = Trainer.Run(TrainerFixture.Config(runDir, saveFreq: 10), new TinyDurationRecipe(), runDirectory: runDir, log: line =>
        {
            lock (lines) lines.Add(line);
            if (line.StartsWith("Saved checkpoint step 10 ")) DiskLimit.Set(runDir, UsedBytes(runDir) + 64);
        }, options: TrainerOptions.FromConfig(TrainerFixture.Config(runDir, saveFreq: 10)) with { MaxSteps = 25 });
        DiskLimit.Clear(runDir);

        Assert.Equal(25, result.Step);
        Assert.Equal(10, result.LastCheckpointStep);
        Assert.Equal(15, result.UnsavedSteps);
        Assert.Contains("Not enough disk space", result.SaveError);
        Assert.Contains("15 steps are in no checkpoint", result.ToString());
        Assert.Contains(lines, l => l.StartsWith("Steps 11 to 25 are in no checkpoint") && l.Contains("Kept: checkpoint step 10"));
        Assert.Equal(10, new CheckpointStore(runDir).FindNewestReadable()!.Step);
    }

    [Fact]
    public void Keep_last_checkpoints_is_read_from_the_run_config()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "run.yml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"], saveFreq: 5, valFreq: 1000) with { KeepLastCheckpoints = 1 }, path);
        Assert.Contains("keep_last_checkpoints: 1", File.ReadAllText(path));
        var config = RunConfigFile.Read(path);
        Assert.Equal(1, TrainerOptions.FromConfig(config).KeepLastCheckpoints);

        var lines = new List<string>();
        Train(dir["run"], 20, lines, config: config);
        Assert.Equal([20L], new CheckpointStore(dir["run"]).Steps()); // no validation, so no best: only the last one
    }

    // ---- fault 6: damaged checkpoints, failed starts, moved folders ------------------------------------------

    [Fact]
    public void A_model_that_matches_its_manifest_but_is_no_torch_save_file_falls_back_to_the_previous_step()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var lines = new List<string>();
        Train(runDir, 20, lines);
        var step20 = Path.Combine(runDir, CheckpointFiles.CheckpointsFolder, CheckpointFiles.StepFolderName(20));
        File.WriteAllBytes(Path.Combine(step20, CheckpointFiles.InferenceWeights), new byte[5000]); // not a zip archive
        RewriteManifest(step20, 20); // ...and the manifest agrees with it: only loading tells

        lines.Clear();
        var result = Train(runDir, 25, lines, resume: true);

        Assert.Contains(lines, l => l.StartsWith($"Skipping checkpoint {step20}: its files match the manifest but do not load"));
        Assert.Contains(lines, l => l.StartsWith("Resuming at step 10"));
        Assert.Equal(25, result.LastCheckpointStep);
    }

    [Fact]
    public void A_damaged_step_folder_is_kept_for_a_person_when_that_step_is_saved_again()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var lines = new List<string>();
        Train(runDir, 20, lines);
        var step20 = Path.Combine(runDir, CheckpointFiles.CheckpointsFolder, CheckpointFiles.StepFolderName(20));
        var weights = Path.Combine(step20, CheckpointFiles.InferenceWeights);
        var damaged = File.ReadAllBytes(weights);
        damaged[^10] ^= 0xFF;
        File.WriteAllBytes(weights, damaged);

        lines.Clear();
        Train(runDir, 20, lines, resume: true); // resumes at 10, trains to 20 and saves step 20 again

        var kept = Assert.Single(Directory.GetDirectories(Path.GetDirectoryName(step20)!, "step-000000020.damaged-*"));
        Assert.Equal(damaged, File.ReadAllBytes(Path.Combine(kept, CheckpointFiles.InferenceWeights)));
        Assert.Contains(lines, l => l.StartsWith("Kept the damaged checkpoint step-000000020 for a person as"));
        Assert.NotNull(CheckpointManifest.Verify(step20, out _));
        Assert.Equal(20, new CheckpointStore(runDir).FindNewestReadable()!.Step);
    }

    [Fact]
    public void A_failed_start_leaves_no_config_and_a_later_start_or_resume_of_the_folder_works()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var broken = TrainerFixture.Config(runDir) with { TrainList = dir["no-such-dataset/train.txt"] };
        var lines = new List<string>();
        Assert.Throws<ConfigFormatException>(() => Train(runDir, 5, lines, config: broken));
        Assert.False(File.Exists(Path.Combine(runDir, RunConfigFile.FileName)));
        Assert.False(File.Exists(Path.Combine(runDir, RunConfigFile.OlderFileName)));

        // A config.yaml left by such a start in an older kit: --resume starts the run from step 0 with it, and the
        // run records it under today's one name.
        RunConfigFile.Write(TrainerFixture.Config(runDir, saveFreq: 5), Path.Combine(runDir, RunConfigFile.OlderFileName));
        lines.Clear();
        var result = Train(runDir, 5, lines, resume: true, config: Trainer.ReadRunConfig(runDir));
        Assert.Contains(lines, l => l.Contains("holds no checkpoint yet") && l.Contains("starting it from step 0 with its config.yaml"));
        Assert.Equal(5, result.LastCheckpointStep);
        Assert.False(File.Exists(Path.Combine(runDir, RunConfigFile.OlderFileName)));
        Assert.Equal(File.ReadAllText(Path.Combine(runDir, RunConfigFile.FileName)), new CheckpointStore(runDir).FindNewestReadable()!.Progress.Settings);
    }

    [Fact]
    public void A_run_folder_moved_to_another_depth_still_finds_its_dataset_and_resumes()
    {
        using var dir = new TempDir();
        var dataset = SampleDatasets.CopyTo(dir["project/data/voice"], 40);
        var runDir = dir["project/runs/voice"];
        var config = TrainerFixture.Config(runDir, saveFreq: 5) with
        {
            TrainList = Path.Combine(dataset, "train.txt"), ValList = Path.Combine(dataset, "val.txt"),
        };
        var lines = new List<string>();
        Train(runDir, 5, lines, config: config);
        Assert.Contains("../../data/voice/train.txt", File.ReadAllText(Path.Combine(runDir, CheckpointFiles.ConfigFile)));

        var moved = dir["project/runs/archive/2026/voice"];
        Directory.CreateDirectory(Path.GetDirectoryName(moved)!);
        Directory.Move(runDir, moved);
        var read = Trainer.ReadRunConfig(moved);
        Assert.Equal(Path.Combine(dataset, "train.txt"), read.TrainList);
        lines.Clear();
        var result = Train(moved, 10, lines, resume: true, config: read);
        Assert.Contains(lines, l => l.StartsWith("Resuming at step 5"));
        Assert.Equal(10, result.LastCheckpointStep);
    }

    // ---- a validation's samples that cannot be made ------------------------------------------------------

    [Fact]
    public void Samples_that_fail_are_logged_and_the_run_goes_on_to_save_and_to_the_next_samples()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 5, valFreq: 5);
        var lines = new List<string>();
        var result = Trainer.Run(config, new SamplesFailingAt(5), log: lines.Add, options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 });

        Assert.Equal(10, result.LastCheckpointStep);
        Assert.Equal([5L, 10L], new CheckpointStore(dir.Path).Steps());
        Assert.Contains(lines, l => l.StartsWith("Could not make the samples at step 5 (InvalidOperationException: generation hit NaN at sample 3)"));
        var written = Directory.GetFiles(Path.Combine(dir.Path, CheckpointFiles.SamplesFolder)).Select(Path.GetFileName);
        Assert.Equal([$"{CheckpointFiles.StepFolderName(10)}-clip.txt"], written);
    }

    [Fact]
    public void A_validation_loss_of_NaN_is_saved_in_the_checkpoint_and_read_back_on_resume()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 5, valFreq: 5);
        var lines = new List<string>();
        Trainer.Run(config, new FirstValidationNaN(), log: lines.Add, options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 });
        var result = Trainer.Run(Trainer.ReadRunConfig(dir.Path), new FirstValidationNaN(), runDirectory: dir.Path, resume: true, log: lines.Add,
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 12 });

        Assert.Equal(12, result.LastCheckpointStep);
        Assert.Contains(lines, l => l.StartsWith("Resuming at step 10"));
        var history = new CheckpointStore(dir.Path).FindNewestReadable()!.Progress.Metrics.Where(p => p.Name == MetricNames.Validation(MetricNames.TotalLoss)).ToList();
        Assert.True(double.IsNaN(history.Single(p => p.Step == 5).Value), string.Join(", ", history));
        Assert.True(double.IsFinite(history.Single(p => p.Step == 10).Value), string.Join(", ", history));
    }

    /// <summary>The tiny recipe, whose first validation comes out NaN (a model that diverged in eval mode only).</summary>
    private sealed class FirstValidationNaN : IRecipe
    {
        public string Name => "tiny-duration-validation-nan";
        public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults;
        public ITrainable Create(RecipeContext context) => new Trainable(new TinyDurationRecipe().Create(context));

        private sealed class Trainable(ITrainable inner) : WrappedTrainable(inner)
        {
            private bool _validated;
            public override IReadOnlyDictionary<string, double> Validate(int batchSize)
            {
                var first = !_validated;
                _validated = true;
                return first ? new Dictionary<string, double> { ["loss"] = double.NaN } : base.Validate(batchSize);
            }
        }
    }

    /// <summary>The tiny recipe, whose samples are a small text file, except at one step where making them throws.</summary>
    private sealed class SamplesFailingAt(long failingStep) : IRecipe
    {
        public string Name => "tiny-duration-failing-samples";
        public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults;
        public ITrainable Create(RecipeContext context) => new Trainable(new TinyDurationRecipe().Create(context), failingStep);

        private sealed class Trainable(ITrainable inner, long failingStep) : WrappedTrainable(inner)
        {
            public override IReadOnlyList<TrainingSample> Samples(long step) => step == failingStep
                ? throw new InvalidOperationException("generation hit NaN at sample 3\n(a second line that stays out of the log)")
                : [new("clip.txt", "step"u8.ToArray())];
        }
    }

    private static void RewriteManifest(string folder, long step)
    {
        var old = CheckpointManifest.Read(folder, out _)!;
        var manifest = old with { Files = old.Files.Select(f => CheckpointManifest.Describe(folder, f.Name)).ToList() };
        File.WriteAllText(Path.Combine(folder, CheckpointManifest.FileName), JsonSerializer.Serialize(manifest));
        Assert.Equal(step, manifest.Step);
    }
}
