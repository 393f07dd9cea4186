using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>`kit check` and `kit sample-dataset` run as a user runs them: the real kit.dll in a process.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-check");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Sample_dataset_then_check_exits_0_and_writes_the_json_report()
    {
        var dataset = _dir["dataset"];
        var made = Kit("sample-dataset", dataset, "--clips", "12");
        Assert.True(made.Code == 0, made.Stderr);
        Assert.Equal(12, File.ReadAllLines(Path.Combine(dataset, "metadata.csv")).Length);

        var json = _dir["check.json"];
        var check = Kit("check", dataset, "--json", json);
        Assert.True(check.Code == 0, check.Stdout + check.Stderr);
        Assert.Contains("No errors", check.Stdout);
        var report = DatasetCheckReport.Load(json);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal(12, report.UsableEntries(Split.Metadata).Count());
    }

    [Fact]
    public void Errors_exit_1_and_are_listed()
    {
        var dataset = SampleDatasets.CopyTo(_dir["broken"]);
        File.AppendAllText(Path.Combine(dataset, "train.txt"), "wavs/missing.wav|This clip was never recorded.\n");
        var json = _dir["broken.json"];
        var check = Kit("check", dataset, "--json", json, "--sample-rate", "16000");
        Assert.Equal(1, check.Code);
        Assert.Contains("missing-audio", check.Stdout);
        var report = DatasetCheckReport.Load(json);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.MissingAudio && f.Split == Split.Train);
        // --sample-rate reaches the check: every 22,050 Hz clip is now a mismatch.
        Assert.Equal(16000, report.Options.SampleRate);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.SampleRateMismatch);
    }

    [Fact]
    public void An_unreadable_dataset_exits_2_with_the_reason()
    {
        var json = _dir["none.json"];
        var check = Kit("check", _dir["no-such-folder"], "--json", json);
        Assert.Equal(2, check.Code);
        Assert.Contains("no such file or folder", check.Stderr);
        var report = DatasetCheckReport.Load(json);
        Assert.Equal(2, report.ExitCode);
        Assert.Contains("no such file or folder", report.Error);

        Directory.CreateDirectory(_dir["empty"]);
        var empty = Kit("check", _dir["empty"]);
        Assert.Equal(2, empty.Code);
        Assert.Contains("metadata.csv", empty.Stderr);
    }

    // The kit.dll built beside the tests (a project reference), run by the dotnet host as ./kit does.
    private static (int Code, string Stdout, string Stderr) Kit(params string[] args) => KitCli.Run(args);
}
