using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Metrics;
using Kit.Training.Tests.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Faults;

/// <summary>
/// Issue 13's faults as a user meets them: `kit train` in child processes. Two processes on one folder, a kill -9
/// then a take-over, a disk that stays full, settings that are wrong, two quick Ctrl+C.
/// </summary>
public sealed class TrainProcessFaultTests
{
    private static string WriteConfig(string runDir, int saveFreq, string? name = null)
    {
        var path = Path.Combine(Path.GetDirectoryName(runDir)!, name ?? Path.GetFileName(runDir) + "-config.yaml");
        RunConfigFile.Write(TrainerFixture.Config(runDir, saveFreq: saveFreq), path);
        return path;
    }

    [Fact]
    public void Two_processes_on_one_run_folder_the_second_is_refused_and_after_a_kill_9_the_next_takes_over()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var config = WriteConfig(runDir, saveFreq: 5);
        // The first run waits after step 5 (until it is stopped, which it never is: it is killed), so it holds the
        // folder however long the second and third take to start; unheld, its microsecond steps could run out first.
        using var first = KitChild.Start(new Dictionary<string, string?> { [TrainCommandProcessTests.HoldVariable] = "5" }, "train", config);
        first.WaitForLine(l => l.StartsWith("Saved checkpoint step 5 "), "the first checkpoint");

        var resume = KitChild.Run(null, "train", "--resume", runDir, "--max-steps", "3");
        Assert.True(resume.Code == 3, $"exit {resume.Code}: {resume.Stderr}");
        Assert.Contains($"is in use by process {first.Process.Id} on host {Environment.MachineName}", resume.Stderr);
        KitChild.AssertNoStackTrace(resume.Stderr);
        var fresh = KitChild.Run(null, "train", config, "--max-steps", "3"); // a second fresh run into the same output
        Assert.Equal(3, fresh.Code);

        first.Process.Kill(); // SIGKILL: no handler runs, the lock note stays behind
        first.Process.WaitForExit();
        var lines = MetricsLog.Read(Path.Combine(runDir, MetricsLog.FileName)).Where(r => r.Kind == "train").Select(r => r.Step).ToList();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines); // one writer: no record lost or doubled

        var saved = new CheckpointStore(runDir).FindNewestReadable()!.Step;
        var after = KitChild.Run(null, "train", "--resume", runDir, "--max-steps", (saved + 3).ToString());
        Assert.True(after.Code == 0, $"exit {after.Code}: {after.Stderr}");
        Assert.Contains($"Took over the run folder's lock {Path.Combine(runDir, RunFolderLock.FileName)}: it was left by process {first.Process.Id}", after.Stdout);
        Assert.Contains($"Resuming at step {saved}", after.Stdout);
        Assert.Equal(saved + 3, new CheckpointStore(runDir).FindNewestReadable()!.Step);
    }

    [Fact]
    public void A_disk_that_stays_full_ends_kit_train_with_exit_4_and_says_what_was_kept()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        var env = new Dictionary<string, string?> { [DiskLimit.Variable] = "1" }; // nothing fits
        var run = KitChild.Run(env, "train", WriteConfig(runDir, saveFreq: 5), "--max-steps", "7");

        Assert.True(run.Code == 4, $"exit {run.Code}: {run.Stdout}\n{run.Stderr}");
        Assert.Contains("Could not save checkpoint step 5", run.Stdout);
        Assert.Contains("Could not write metrics.jsonl", run.Stdout);
        Assert.Contains("kit train: 7 trained steps are in no checkpoint", run.Stderr);
        Assert.Contains("no checkpoint was kept", run.Stderr);
        KitChild.AssertNoStackTrace(run.Stderr);
    }

    [Fact]
    public void Wrong_settings_are_one_line_naming_file_line_and_setting_with_exit_2()
    {
        using var dir = new TempDir();
        var config = WriteConfig(dir["run"], saveFreq: 5, name: "run.yml");
        var text = File.ReadAllText(config);

        // A misspelled setting outside parameters: is an error naming the nearest known key, not dropped.
        File.WriteAllText(config, text.Replace("keep_last_checkpoints: ", "keep_last_checkpoint: "));
        var misspelled = KitChild.Run(null, "train", config);
        Assert.Equal(2, misspelled.Code);
        Assert.Matches($@"^kit train: {System.Text.RegularExpressions.Regex.Escape(config)}:\d+: unknown setting 'keep_last_checkpoint'; did you mean 'keep_last_checkpoints'\?", misspelled.Stderr);

        // TrainBS larger than the dataset: refused by kit params' rule.
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(text, @"TrainBS: \d+", "TrainBS: 1000"));
        var batch = KitChild.Run(null, "train", config);
        Assert.Equal(2, batch.Code);
        Assert.Contains(":", batch.Stderr);
        Assert.Contains("parameters.TrainBS: TrainBS 1000 is more than the 36 usable training clips", batch.Stderr);

        // A dataset that is not there: the config's line and key, not DatasetLoadException's stack.
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(text, "train_list: .*", "train_list: ../nowhere/train.txt"));
        var missing = KitChild.Run(null, "train", config);
        Assert.Equal(2, missing.Code);
        Assert.Matches($@"^kit train: {System.Text.RegularExpressions.Regex.Escape(config)}:\d+: dataset.train_list: ", missing.Stderr);
        Assert.False(File.Exists(Path.Combine(dir["run"], CheckpointFiles.ConfigFile)), "a failed start left a config.yaml behind");
        foreach (var r in new[] { misspelled, batch, missing })
        {
            KitChild.AssertNoStackTrace(r.Stderr);
            Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
    }

    [Fact]
    public void Two_Ctrl_C_in_quick_succession_end_the_process_without_an_abort()
    {
        using var dir = new TempDir();
        var runDir = dir["run"];
        // The run waits after step 10 for its stop, and the save that stop asks for never finishes: the second
        // Ctrl+C always lands on a run that is still saving, however loaded the machine.
        var hold = new Dictionary<string, string?> { [TrainCommandProcessTests.HoldVariable] = "10", ["KIT_TEST_HOLD_SAVE_STEP"] = "10" };
        using var child = KitChild.Start(hold, "train", WriteConfig(runDir, saveFreq: 100_000));
        child.WaitForLine(l => l.StartsWith("step 10 "), "step 10");
        child.Signal("INT");
        // The first Ctrl+C was handled: the second is not merged into it by the kernel (a pending signal is not queued twice).
        child.WaitForLine(l => l.StartsWith("Ctrl+C (SIGINT): finishing this step and saving a checkpoint"), "the first Ctrl+C's notice");
        child.Signal("INT");
        var (code, _, stderr) = child.WaitForExit();

        // The first Ctrl+C asks for a checkpoint; the second quits at once (130), never an abort (134 is SIGABRT).
        Assert.True(code == 130, $"exit {code} (134 is SIGABRT): {stderr}");
        KitChild.AssertNoStackTrace(stderr);
        Assert.DoesNotContain("InvalidOperationException", stderr);
    }
}
