using Kit.Training.Batching;
using Kit.Training.Checkpoints;
using Kit.Training.Metrics;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

public class TrainerTests
{
    private static List<MetricRecord> Metrics(string runDir) => MetricsLog.Read(Path.Combine(runDir, MetricsLog.FileName)).ToList();

    private static void AssertCheckpointAt(string runDir, TrainingResult result)
    {
        Assert.Equal(result.Step, result.LastCheckpointStep);
        var newest = new CheckpointStore(runDir).FindNewestReadable();
        Assert.NotNull(newest);
        Assert.Equal(result.Step, newest.Step);
        Assert.True(File.Exists(newest.PathOf(CheckpointFiles.InferenceWeights)));
        Assert.True(File.Exists(newest.PathOf(CheckpointFiles.TrainingState)));
    }

    [Fact]
    public void Training_on_the_sample_dataset_lowers_the_loss_and_writes_the_run_folder()
    {
        using var dir = new TempDir();
        var lines = new List<string>();
        var result = Trainer.Run(TrainerFixture.Config(dir.Path), new TinyDurationRecipe(),
            options: TrainerOptions.FromConfig(TrainerFixture.Config(dir.Path)) with { MaxSteps = 60 }, log: lines.Add);
        Assert.Equal(60, result.Step);
        Assert.Contains("step limit", result.StopReason);
        var validation = Metrics(dir.Path).Where(r => r.Kind == "validation").Select(r => r.Values["dev_epoch/loss"]).ToList();
        Assert.Equal(6, validation.Count);
        Assert.True(validation[^1] < validation[0] * 0.5, $"validation loss went {validation[0]} → {validation[^1]}");
        var train = Metrics(dir.Path).Where(r => r.Kind == "train").ToList();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), train.Select(r => r.Step));
        Assert.Contains(lines, l => l.StartsWith("step 5 | epoch 1 | loss ") && l.Contains("steps/s") && l.Contains("next save in"));
        Assert.True(File.Exists(Path.Combine(dir.Path, "run.yml")));
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "tensorboard"), "events.out.tfevents.*"));
        var store = new CheckpointStore(dir.Path);
        var kept = store.Steps();
        Assert.Equal([40L, 50, 60], kept.Where(s => s >= 40));            // the last three ...
        Assert.Equal(kept.Where(s => s < 40), kept.Where(s => s == store.Best!.Step && s < 40)); // ... plus the best
        AssertCheckpointAt(dir.Path, result);
    }

    [Fact]
    public void Resume_gives_the_same_losses_as_an_uninterrupted_run()
    {
        using var straight = new TempDir();
        using var split = new TempDir();
        var options = TrainerOptions.FromConfig(TrainerFixture.Config(straight.Path)) with { MaxSteps = 23 };
        Trainer.Run(TrainerFixture.Config(straight.Path), new TinyDurationRecipe(), options: options);

        var first = Trainer.Run(TrainerFixture.Config(split.Path), new TinyDurationRecipe(), options: options with { MaxSteps = 9 });
        Assert.Equal(9, first.Step);
        var lines = new List<string>();
        var second = Trainer.Run(Trainer.ReadRunConfig(split.Path), new TinyDurationRecipe(), runDirectory: split.Path, options: options, resume: true, log: lines.Add);
        Assert.Equal(23, second.Step);
        Assert.Contains(lines, l => l.Contains("Resuming at step 9"));

        double[] Losses(string d) => Metrics(d).Where(r => r.Kind == "train").Select(r => r.Values["train/loss"]).ToArray();
        var a = Losses(straight.Path);
        var b = Losses(split.Path);
        Assert.Equal(23, a.Length);
        Assert.Equal(23, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-9);
        var va = Metrics(straight.Path).Where(r => r.Kind == "validation").Select(r => r.Values["dev_epoch/loss"]);
        var vb = Metrics(split.Path).Where(r => r.Kind == "validation").Select(r => r.Values["dev_epoch/loss"]);
        Assert.Equal(va, vb);
    }

    [Fact]
    public async Task Stop_from_another_thread_finishes_the_step_and_saves()
    {
        using var dir = new TempDir();
        var recipe = new HeldRecipe(afterSteps: 7);
        var run = Trainer.Start(TrainerFixture.Config(dir.Path, saveFreq: 1000), recipe);
        Assert.False(run.Completion.IsCompleted);
        await WaitForStep(run, 7);
        run.Stop();
        recipe.Release();
        var result = await HangGuard.Await(run.Completion, "the run's end");
        Assert.Contains("run.Stop()", result.StopReason);
        Assert.Equal(8, result.Step);
        AssertCheckpointAt(dir.Path, result);
        Assert.Contains("last checkpoint step", run.Display.ToString());
    }

    [Fact]
    public async Task A_cancellation_token_stops_and_saves()
    {
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource();
        var recipe = new HeldRecipe(afterSteps: 3);
        var run = Trainer.Start(TrainerFixture.Config(dir.Path, saveFreq: 1000), recipe, cancel: cts.Token);
        await WaitForStep(run, 3);
        cts.Cancel(); // the run's stop is requested when Cancel returns (the token's callbacks run in it)
        recipe.Release();
        var result = await HangGuard.Await(run.Completion, "the run's end");
        Assert.Equal("cancelled", result.StopReason);
        AssertCheckpointAt(dir.Path, result);
    }

    [Fact]
    public async Task A_STOP_file_made_by_another_process_stops_and_saves()
    {
        using var dir = new TempDir();
        var recipe = new HeldRecipe(afterSteps: 3);
        var run = Trainer.Start(TrainerFixture.Config(dir.Path, saveFreq: 1000), recipe);
        await WaitForStep(run, 3);
        var stopFile = Path.Combine(dir.Path, "STOP");
        using (var touch = System.Diagnostics.Process.Start("touch", stopFile)) await touch.WaitForExitAsync();
        // The source removes the file after it has asked the run to stop: then the held step may finish.
        HangGuard.Until(() => !File.Exists(stopFile), "the STOP file's removal");
        recipe.Release();
        var result = await HangGuard.Await(run.Completion, "the run's end");
        Assert.Contains("STOP file", result.StopReason);
        AssertCheckpointAt(dir.Path, result);
        Assert.False(File.Exists(Path.Combine(dir.Path, "STOP")));
    }

    [Fact]
    public void Early_stopping_ends_the_run_when_validation_stops_improving()
    {
        using var dir = new TempDir();
        // A learning rate this high makes the tiny model bounce: validation stops improving quickly.
        var config = TrainerFixture.Config(dir.Path, valFreq: 2, saveFreq: 1000, lr: 2.0);
        var result = Trainer.Run(config, new TinyDurationRecipe(),
            options: TrainerOptions.FromConfig(config) with { EarlyStoppingPatience = 3, MaxSteps = 2000 });
        Assert.Contains("has not improved for 3 validations", result.StopReason);
        Assert.True(result.Step < 2000);
        AssertCheckpointAt(dir.Path, result);
    }

    [Fact]
    public void Non_finite_losses_are_skipped_then_rolled_back_with_a_lower_learning_rate()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 5);
        var recipe = new TinyDurationRecipe { NonFiniteLosses = 3, NonFiniteFromStep = 12 };
        var lines = new List<string>();
        var result = Trainer.Run(config, recipe, log: lines.Add,
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 20, MaxNonFiniteInARow = 3, RollbackLearningRateFactor = 0.5 });
        Assert.Equal(20, result.Step);
        var metrics = Metrics(dir.Path);
        Assert.Equal(2, metrics.Count(r => r.Kind == "skipped"));
        var rollback = Assert.Single(metrics, r => r.Kind == "rollback");
        Assert.Equal(10, rollback.Step);                 // the newest checkpoint before step 12
        Assert.Equal(12, rollback.Values["from_step"]);
        Assert.Contains(lines, l => l.Contains("rolled back to step 10") && l.Contains("lowered the learning rate"));
        // Steps 11..12 were trained twice: the later lines (after the rollback) run at half the rate.
        var afterRollback = metrics.SkipWhile(r => r.Kind != "rollback").Where(r => r.Kind == "train").ToList();
        Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), afterRollback.Select(r => r.Step));
        Assert.All(afterRollback, r => Assert.Equal(0.025, r.Values["lr"], 1e-12));
        var state = new CheckpointStore(dir.Path).FindNewestReadable()!.Progress;
        Assert.Equal(0.5, state.LearningRateScale);
        Assert.Equal(1, state.Rollbacks);
        Assert.Equal(3, state.SkippedNonFiniteSteps);
    }

    [Fact]
    public void A_new_run_refuses_a_folder_that_already_has_checkpoints()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path);
        Trainer.Run(config, new TinyDurationRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 3 });
        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Run(config, new TinyDurationRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 3 }));
        Assert.Contains("--resume", e.Message);
    }

    [Fact]
    public void Each_checkpoint_is_reported_once_it_is_complete_on_disk()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 4);
        var reported = new List<(long Step, bool Complete)>();
        Trainer.Run(config, new TinyDurationRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 },
            onCheckpointSaved: s => reported.Add((s.Step, CheckpointManifest.Verify(s.Folder, out _) is not null)));
        Assert.Equal([(4L, true), (8L, true), (10L, true)], reported);
    }

    private static async Task WaitForStep(TrainingRun run, long step)
    {
        var deadline = DateTime.UtcNow + HangGuard.Limit;
        while (run.Status.Step < step)
        {
            if (run.Completion.IsFaulted) await run.Completion;
            Assert.True(DateTime.UtcNow < deadline, HangGuard.Message($"step {step}", run.Status.ToString()));
            await Task.Delay(5); // a poll interval
        }
    }
}
