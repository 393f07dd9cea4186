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
public sealed class SpectrogramCheckpointFetchTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-spectrogram");

    public void Dispose() => temp.Dispose();

    private (int Code, string Output) Kit(params string[] args)
    {
        var (code, stdout, stderr) = KitCli.Run(s3.KitEnvironment(), args);
        return (code, stdout + stderr);
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
