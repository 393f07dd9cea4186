using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>Issue 13, fault 6: `kit speak` on a run folder whose newest checkpoint is damaged says which step it uses instead.</summary>
public sealed class SpeakDamagedCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-speak-damaged");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Speak_names_the_older_step_it_falls_back_to_and_the_damaged_newer_one()
    {
        var data = _dir["dataset"];
        Assert.Equal(0, KitCli.Run("sample-dataset", data, "--clips", "4").Code);
        var made = KitCli.Run("params", data, "--recipe", "spectrogram-tiny", "--set", "TrainBS=2", "--set", "ValBS=2", "--out", _dir["config"]);
        Assert.True(made.Code == 0, made.Stderr);
        var run = _dir["run"];
        var trained = KitCli.Run("train", _dir["config/run.yml"], "--output", run, "--max-steps", "1");
        Assert.True(trained.Code == 0, trained.Stderr);
        var resumed = KitCli.Run("train", "--resume", run, "--max-steps", "2");
        Assert.True(resumed.Code == 0, resumed.Stderr);
        var newest = Path.Combine(run, "checkpoints", "step-000000002", "model.pth");
        var bytes = File.ReadAllBytes(newest);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(newest, bytes);

        var (code, stdout, stderr) = KitCli.Run("speak", "--spectrogram-model", run, "Hello.", "-o", _dir["out/hello.wav"]);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"spectrogram model: checkpoint step 1 of {run} (the newest intact; 1 newer step is damaged, see above)", stdout);
        Assert.Contains("kit speak: Skipping checkpoint", stderr);
        Assert.Contains("step-000000002", stderr);
        Assert.True(File.Exists(_dir["out/hello.wav"]));
    }
}
