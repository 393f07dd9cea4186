using Kit.TestSupport;
using Kit.Training.Checkpoints;
using Kit.Training.Config;

namespace Kit.Cli.Tests;

/// <summary>
/// Issue 24, one vocabulary: a run's config is one file, run.yml, written by one writer (RunConfigFile): the
/// file `kit params` writes is the one the run folder keeps and each checkpoint carries; a run folder an older
/// kit wrote (config.yaml, with its precision: key) still resumes and exports.
/// </summary>
public sealed class RunConfigRecordTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-run-config");

    public void Dispose() => _dir.Dispose();

    private static string Ok((int Code, string Stdout, string Stderr) r)
    {
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        return r.Stdout;
    }

    private static string NewestSettings(string runDir) => new CheckpointStore(runDir).FindNewestReadable()!.Progress.Settings!;

    /// <summary>A run folder as `kit params` leaves it, trained for two steps in place (the config's output is the folder itself).</summary>
    private string ParamsThenTrain(out byte[] written)
    {
        var data = _dir["dataset"];
        Ok(KitCli.Run("sample-dataset", data, "--clips", "8"));
        var run = _dir["runs/voice"];
        Ok(KitCli.Run("params", data, "--recipe", "tiny-duration", "--set", "TrainBS=2", "--set", "ValBS=2", "--out", run));
        written = File.ReadAllBytes(Path.Combine(run, RunConfigFile.FileName));
        Ok(KitCli.Run("train", Path.Combine(run, RunConfigFile.FileName), "--max-steps", "2"));
        return run;
    }

    [Fact]
    public void The_run_yml_kit_params_writes_is_the_run_folder_s_record_and_each_checkpoint_s_byte_for_byte()
    {
        var run = ParamsThenTrain(out var written);
        var record = Path.Combine(run, RunConfigFile.FileName);
        Assert.Equal(written, File.ReadAllBytes(record)); // kept as kit params wrote it, reasons and all
        Assert.False(File.Exists(Path.Combine(run, RunConfigFile.OlderFileName)), "a second copy of the config in the run folder");
        Assert.Equal(File.ReadAllText(record), NewestSettings(run));

        Ok(KitCli.Run("train", "--resume", run, "--max-steps", "4"));
        Assert.Equal(written, File.ReadAllBytes(record));
        Assert.Equal(File.ReadAllText(record), NewestSettings(run));

        // Trained into another folder, the record there is RunConfigFile's own writing of the same config.
        var other = _dir["runs/elsewhere"];
        Ok(KitCli.Run("train", record, "--output", other, "--max-steps", "2"));
        var copy = Path.Combine(other, RunConfigFile.FileName);
        Assert.Equal(RunConfigFile.Read(record), RunConfigFile.Read(copy));
        RunConfigFile.Write(RunConfigFile.Read(copy), Path.Combine(other, "again.yml"));
        Assert.Equal(File.ReadAllBytes(copy), File.ReadAllBytes(Path.Combine(other, "again.yml")));
        Assert.Equal(File.ReadAllText(copy), NewestSettings(other));
    }

    [Fact]
    public void An_older_kit_s_run_folder_with_config_yaml_resumes_in_place_and_exports_its_config_as_run_yml()
    {
        var run = ParamsThenTrain(out _);
        // What an older kit left: the record named config.yaml, with the precision: key it wrote beside Fp16.
        var older = Path.Combine(run, RunConfigFile.OlderFileName);
        File.Move(Path.Combine(run, RunConfigFile.FileName), older);
        File.AppendAllText(older, "precision: auto\n");
        var olderText = File.ReadAllText(older);

        var stdout = Ok(KitCli.Run("train", "--resume", run, "--max-steps", "4"));
        Assert.Contains("Resuming at step 2", stdout);
        Assert.Contains($"{older}:", stdout);
        Assert.Contains("precision: auto is an older kit's key, read as the parameter Fp16: false", stdout);
        Assert.Equal(4, new CheckpointStore(run).FindNewestReadable()!.Step);
        Assert.Equal(olderText, File.ReadAllText(older)); // the folder keeps its own record
        Assert.False(File.Exists(Path.Combine(run, RunConfigFile.FileName)), "a second copy of the config in the run folder");
        Assert.Equal(olderText, NewestSettings(run));

        var bundle = _dir["bundle"];
        Ok(KitCli.Run("export", run, "--to", bundle));
        Assert.Equal(olderText, File.ReadAllText(Path.Combine(bundle, RunConfigFile.FileName)));
        Assert.False(File.Exists(Path.Combine(bundle, RunConfigFile.OlderFileName)));
        var imported = _dir["imported"];
        Ok(KitCli.Run("import", bundle, "--to", imported));
        Assert.Equal(olderText, File.ReadAllText(Path.Combine(imported, RunConfigFile.FileName)));
    }

    [Fact]
    public void A_run_folder_with_only_checkpoints_gets_its_run_yml_back_from_the_newest_one()
    {
        var run = ParamsThenTrain(out var written);
        File.Delete(Path.Combine(run, RunConfigFile.FileName));
        var stdout = Ok(KitCli.Run("train", "--resume", run, "--max-steps", "3"));
        Assert.Contains($"Restored {Path.Combine(run, RunConfigFile.FileName)} from checkpoint step 2", stdout);
        Assert.Equal(written, File.ReadAllBytes(Path.Combine(run, RunConfigFile.FileName)));
    }
}
