using Kit.TestSupport;
using Kit.Training.Checkpoints;

namespace Kit.Cli.Tests;

/// <summary>`kit train --max-minutes`: the time limit stops a run like Ctrl+C, with a checkpoint saved and exit code 0.</summary>
public sealed class TrainTimeLimitTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-train-minutes");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Max_minutes_stops_a_run_far_from_its_last_step_with_a_checkpoint()
    {
        var data = _dir["dataset"];
        Assert.Equal(0, KitCli.Run("sample-dataset", data, "--clips", "4").Code);
        Assert.Equal(0, KitCli.Run("params", data, "--recipe", "spectrogram-tiny", "--set", "TrainBS=2", "--set", "ValBS=2",
            "--set", "TotalSteps=1000000", "--out", _dir["params"]).Code);

        var (code, stdout, stderr) = KitCli.Run("train", _dir["params/run.yml"], "--output", _dir["run"], "--max-minutes", "0.02");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("the time limit (--max-minutes 0.02)", stdout);
        var steps = new CheckpointStore(_dir["run"]).Steps();
        Assert.Single(steps);
        Assert.InRange(steps[0], 0, 999_999); // the limit may fall before the first step on a loaded machine: a step-0 checkpoint is still saved
    }
}
