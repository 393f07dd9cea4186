using System.Diagnostics;
using Kit.Aws.Checkpoints;
using Kit.Aws.Tests.Support;
using Kit.TestSupport;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Tests;

/// <summary>
/// Notebook aws/02's signal step against s3rver: `kit train --spectrogram-model-checkpoint s3://STORE/FOLDER`
/// fetches that checkpoint, trains on its teacher-forced frames, and keeps the address in the run's config so
/// a resume on a new VM fetches it again.
/// </summary>
public sealed class SpectrogramCheckpointFetchTests(S3rverProcess s3) : IClassFixture<S3rverProcess>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-spectrogram");

    public void Dispose() => temp.Dispose();

    private (int Code, string Output) Kit(params string[] args)
    {
        var dll = Path.Combine(RepoPaths.KitBuild, "kit.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the command line first (dotnet build src/Kit.Cli)");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION" }) psi.Environment.Remove(name);
        psi.Environment["AWS_ENDPOINT_URL_S3"] = s3.Options.EndpointUrl;
        psi.Environment["AWS_ACCESS_KEY_ID"] = "S3RVER";
        psi.Environment["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
        psi.Environment["AWS_REGION"] = "us-east-1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3))) { p.Kill(true); Assert.Fail($"kit {string.Join(' ', args)} did not finish"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private void Ok(params string[] args)
    {
        var (code, output) = Kit(args);
        Assert.True(code == 0, $"kit {string.Join(' ', args)} exited {code}:\n{output}");
    }

    [Fact]
    public async Task A_signal_run_trains_from_a_spectrogram_checkpoint_in_s3_and_keeps_its_address()
    {
        var data = temp["dataset"];
        Ok("sample-dataset", data, "--clips", "4");
        foreach (var recipe in new[] { "spectrogram-tiny", "signal-tiny" })
            Ok("params", data, "--recipe", recipe, "--set", "TrainBS=2", "--set", "ValBS=2", "--out", temp[recipe]);
        Ok("train", temp["spectrogram-tiny/run.yml"], "--output", temp["spectrogram"], "--max-steps", "2");
        var newest = new CheckpointStore(temp["spectrogram"]).FindNewestReadable()!;
        StoredCheckpoint stored;
        await using (var store = DestinationCheckpointStore.Open(s3.Address("runs/alice_baseline"), s3.Options))
            stored = await store.UploadAsync(newest.Step, newest.Folder);

        var address = s3.Address("runs/alice_baseline") + "/" + stored.Folder;
        Ok("train", temp["signal-tiny/run.yml"], "--output", temp["signal"], "--max-steps", "2", "--spectrogram-model-checkpoint", address);
        Assert.Contains(address, File.ReadAllText(Path.Combine(temp["signal"], CheckpointFiles.ConfigFile)));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(temp["signal"], "cache", "teacher-forced"), "*.safetensors", SearchOption.AllDirectories));
        // Resume in place: the address in config.yaml is fetched again and training goes on.
        Ok("train", "--resume", temp["signal"], "--max-steps", "3");

        var (code, output) = Kit("train", temp["signal-tiny/run.yml"], "--output", temp["signal2"], "--max-steps", "1",
            "--spectrogram-model-checkpoint", s3.Address("runs/alice_baseline") + "/no-such-checkpoint");
        Assert.Equal(2, code);
        Assert.Contains("no-such-checkpoint", output);
    }
}
