using System.Diagnostics;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>`kit train` in a child process: signals stop it gracefully, and a SIGKILL during a save leaves a resumable run.</summary>
public class TrainCommandProcessTests
{
    private static Process StartTrain(string configPath, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = KitCli.StartInfo(["train", configPath], env);
        psi.RedirectStandardInput = true;
        return Process.Start(psi)!;
    }

    private static string WriteConfig(string runDir, int saveFreq)
    {
        var path = Path.Combine(Path.GetDirectoryName(runDir)!, Path.GetFileName(runDir) + "-config.yaml");
        RunConfigFile.Write(TrainerFixture.Config(runDir, saveFreq: saveFreq), path);
        return path;
    }

    private static void Signal(Process p, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString()]);
        kill.WaitForExit();
    }

    private static void WaitUntil(Func<bool> condition, string what, Process p, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (p.HasExited) Assert.Fail($"kit train exited ({p.ExitCode}) before {what}:\n{p.StandardOutput.ReadToEnd()}\n{p.StandardError.ReadToEnd()}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "Ctrl+C (SIGINT)")]
    public void A_signal_finishes_the_step_saves_and_exits_cleanly(string signal, string reason)
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        using var p = StartTrain(WriteConfig(runDir, saveFreq: 100_000));
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        WaitUntil(() => output.Any(l => l.StartsWith("step 10 ")), "step 10", p);
        Signal(p, signal);
        Assert.True(p.WaitForExit(60_000), "kit train did not exit after the signal");
        // The timed wait returns on exit without draining the redirected output; the parameterless wait
        // blocks until OutputDataReceived has seen the end of stdout, so the last lines are in `output`.
        p.WaitForExit();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.ExitCode == 0, $"exit code {p.ExitCode}: {stderr}");
        var stopped = output.Single(l => l.StartsWith("Stopping at step "));
        Assert.Contains(reason, stopped);
        var step = long.Parse(stopped["Stopping at step ".Length..].Split(':')[0]);
        Assert.Equal(step, new CheckpointStore(runDir).FindNewestReadable()!.Step);
        Assert.Contains(output, l => l.StartsWith("Continue later with: kit train --resume"));
    }

    [Fact]
    public void A_run_killed_during_a_save_resumes_from_the_last_good_checkpoint()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        // Each save lingers between its files and its manifest, so the kill lands inside one.
        using var p = StartTrain(WriteConfig(runDir, saveFreq: 5), new Dictionary<string, string?> { ["KIT_TEST_SAVE_DELAY_MS"] = "1500" });
        p.BeginOutputReadLine();
        var checkpoints = Path.Combine(runDir, CheckpointFiles.CheckpointsFolder);
        WaitUntil(() => Directory.Exists(Path.Combine(checkpoints, "step-000000005"))
                        && Directory.Exists(Path.Combine(checkpoints, ".partial-step-000000010"))
                        && Directory.GetFiles(Path.Combine(checkpoints, ".partial-step-000000010")).Length >= 2, "the second save to be under way", p);
        p.Kill();   // SIGKILL: no handler runs
        p.WaitForExit();

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

    private static (int Code, string Stdout, string Stderr) RunKit(params string[] args) => KitCli.Run(args);

    [Fact]
    public void Precision_option_overrides_the_run_config_and_fp16_without_a_gpu_is_refused()
    {
        using var dir = new TempDir();
        var config = Path.Combine(dir.Path, "config.yaml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"], saveFreq: 5) with { ModelRecipe = TinyDurationTorchRecipe.RecipeName }, config);

        var bf16 = RunKit("train", config, "--precision", "bf16", "--max-steps", "5");
        Assert.True(bf16.Code == 0, $"exit code {bf16.Code}: {bf16.Stderr}");
        Assert.Contains("Precision: bf16", bf16.Stdout);
        Assert.Contains("\"precision\": \"bf16\"", File.ReadAllText(Path.Combine(dir["run"], CheckpointFiles.CheckpointsFolder, "step-000000005", "state.json")));

        var fp16 = RunKit("train", config, "--precision", "fp16", "--output", dir["run-fp16"], "--max-steps", "5");
        Assert.Equal(1, fp16.Code);
        Assert.Contains("precision fp16 needs a CUDA GPU", fp16.Stderr);

        var unknown = RunKit("train", config, "--precision", "fp8", "--output", dir["run-fp8"], "--max-steps", "5");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("precision 'fp8' is not one the kit knows", unknown.Stderr);
    }
}
