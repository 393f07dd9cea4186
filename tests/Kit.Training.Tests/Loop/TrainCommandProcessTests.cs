using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>`kit train` in a child process: signals stop it gracefully, and a SIGKILL during a save leaves a resumable run.</summary>
public class TrainCommandProcessTests
{
    private static string WriteConfig(string runDir, int saveFreq)
    {
        var path = Path.Combine(Path.GetDirectoryName(runDir)!, Path.GetFileName(runDir) + "-config.yaml");
        RunConfigFile.Write(TrainerFixture.Config(runDir, saveFreq: saveFreq), path);
        return path;
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "Ctrl+C (SIGINT)")]
    public void A_signal_finishes_the_step_saves_and_exits_cleanly(string signal, string reason)
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        // The run waits after step 10 until it is asked to stop: a step takes microseconds, and the run's
        // 1,000,000 steps once ran out before the signal landed on a loaded machine.
        using var child = KitChild.Start(new Dictionary<string, string?> { [HoldVariable] = "10" }, "train", WriteConfig(runDir, saveFreq: 100_000));
        child.WaitForLine(l => l.StartsWith("step 10 "), "step 10");
        child.Signal(signal);
        var (code, _, stderr) = child.WaitForExit();

        Assert.True(code == 0, $"exit code {code}: {stderr}");
        var stopped = Assert.Single(child.Lines, l => l.StartsWith("Stopping at step "));
        Assert.Equal($"Stopping at step 10: {reason}", stopped);
        Assert.Equal(10, new CheckpointStore(runDir).FindNewestReadable()!.Step);
        Assert.Contains(child.Lines, l => l.StartsWith("Continue later with: kit train --resume"));
    }

    /// <summary>The test hook of the training loop (Kit.Training's TestHold): steps after N wait for a stop.</summary>
    internal const string HoldVariable = "KIT_TEST_HOLD_AFTER_STEP";

    [Fact]
    public void A_run_killed_during_a_save_resumes_from_the_last_good_checkpoint()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        // The save of step 10 stops for good between its files and its manifest, so the kill lands inside it.
        using var child = KitChild.Start(new Dictionary<string, string?> { ["KIT_TEST_HOLD_SAVE_STEP"] = "10" }, "train", WriteConfig(runDir, saveFreq: 5));
        var checkpoints = Path.Combine(runDir, CheckpointFiles.CheckpointsFolder);
        WaitUntil(() => Directory.Exists(Path.Combine(checkpoints, ".partial-step-000000010"))
                        && Directory.GetFiles(Path.Combine(checkpoints, ".partial-step-000000010")).Length >= 2, "the second save's files", child);
        child.Process.Kill();   // SIGKILL: no handler runs
        child.Process.WaitForExit();

        var store = new CheckpointStore(runDir);
        Assert.Equal([5L], store.Steps());
        var lines = new List<string>();
        var config = Trainer.ReadRunConfig(runDir);
        var result = Trainer.Run(config, new TinyDurationRecipe(), runDirectory: runDir, resume: true, log: lines.Add,
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 12 });
        Assert.Contains(lines, l => l.Contains("Resuming at step 5"));
        Assert.Equal(12, result.Step);
        Assert.Equal(12, store.FindNewestReadable()!.Step);
        Assert.DoesNotContain(Directory.GetDirectories(checkpoints), d => Path.GetFileName(d).StartsWith(".partial"));
        var steps = Kit.Training.Metrics.MetricsLog.Read(Path.Combine(runDir, "metrics.jsonl")).Where(r => r.Kind == "train").Select(r => r.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), steps); // the lines past step 5 from the killed run were dropped
    }

    /// <summary>
    /// Waits for files the child writes (no line announces them); the bound only turns a hang into a failure:
    /// the save it waits on is held until the test kills the child, so nothing here races.
    /// </summary>
    private static void WaitUntil(Func<bool> condition, string what, KitChild child)
    {
        var deadline = DateTime.UtcNow + HangGuard.Limit;
        while (!condition())
        {
            if (child.Process.HasExited) Assert.Fail($"kit train exited ({child.Process.ExitCode}) before {what}:\n{child.Transcript}");
            Assert.True(DateTime.UtcNow < deadline, HangGuard.Message(what, child.Transcript));
            Thread.Sleep(10); // a poll interval
        }
    }

    private static (int Code, string Stdout, string Stderr) RunKit(params string[] args) => KitCli.Run(args);

    [Fact]
    public void Fp16_option_overrides_the_run_config_and_fp16_without_a_gpu_is_refused()
    {
        using var dir = new TempDir();
        var config = Path.Combine(dir.Path, "config.yaml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"], saveFreq: 5) with { ModelRecipe = TinyDurationTorchRecipe.RecipeName }, config);

        var bf16 = RunKit("train", config, "--fp16", "bf16", "--max-steps", "5");
        Assert.True(bf16.Code == 0, $"exit code {bf16.Code}: {bf16.Stderr}");
        Assert.Contains("Precision: bf16", bf16.Stdout);
        Assert.Contains("\"precision\": \"bf16\"", File.ReadAllText(Path.Combine(dir["run"], CheckpointFiles.CheckpointsFolder, "step-000000005", "state.json")));

        var fp16 = RunKit("train", config, "--precision", "fp16", "--output", dir["run-fp16"], "--max-steps", "5");
        Assert.Equal(1, fp16.Code);
        Assert.Contains("Fp16: fp16 needs a CUDA GPU", fp16.Stderr); // --precision: older kits' name for --fp16

        var unknown = RunKit("train", config, "--precision", "fp8", "--output", dir["run-fp8"], "--max-steps", "5");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("Fp16 'fp8' is not one the kit knows", unknown.Stderr);
    }
}
