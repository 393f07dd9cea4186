using System.Text;
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

    /// <summary>Issue 24: a dataset whose lists Notepad saved as "Unicode" (UTF-16 with a mark) ended in "Null character in path".</summary>
    [Fact]
    public void Lists_saved_as_utf16_with_a_mark_check_and_calculate_as_their_utf8_originals()
    {
        var original = SampleDatasets.Get(4);
        var dataset = SampleDatasets.CopyTo(_dir["utf16"], 4);
        foreach (var (name, bigEndian) in new[] { ("metadata.csv", false), ("train.txt", true), ("val.txt", false) })
        {
            var list = Path.Combine(dataset, name);
            File.WriteAllText(list, File.ReadAllText(list), new UnicodeEncoding(bigEndian, byteOrderMark: true));
        }

        var check = Kit("check", dataset, "--json", _dir["utf16.json"]);
        var before = Kit("check", original, "--json", _dir["utf8.json"]);
        Assert.True(check.Code == 0, check.Stdout + check.Stderr);
        Assert.Equal(0, before.Code);
        foreach (var split in new[] { Split.Metadata, Split.Train, Split.Val })
            Assert.Equal(DatasetCheckReport.Load(_dir["utf8.json"]).UsableEntries(split).Select(e => (e.Audio, e.Text)),
                DatasetCheckReport.Load(_dir["utf16.json"]).UsableEntries(split).Select(e => (e.Audio, e.Text)));

        var parameters = Kit("params", dataset, "--out", _dir["params"]);
        Assert.True(parameters.Code == 0, parameters.Stdout + parameters.Stderr);
    }

    [Fact]
    public void A_list_in_utf16_without_a_mark_is_refused_in_one_line_with_exit_2_by_check_and_params()
    {
        var dataset = SampleDatasets.CopyTo(_dir["no-mark"], 4);
        var list = Path.Combine(dataset, "metadata.csv");
        File.WriteAllText(list, File.ReadAllText(list), new UnicodeEncoding(bigEndian: false, byteOrderMark: false));

        foreach (var command in new[] { "check", "params" })
        {
            var run = Kit(command == "check" ? [command, dataset] : [command, dataset, "--out", _dir["params-out"]]);
            Assert.True(run.Code == 2, $"kit {command}: exit {run.Code}: {run.Stderr}");
            var line = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
            Assert.StartsWith($"kit {command}: ", line);
            Assert.Contains($"{list}: UTF-16 LE without a byte-order mark", line);
            Assert.Contains("save it as UTF-8", line);
            Assert.DoesNotContain("Null character", run.Stderr);
            KitChild.AssertNoStackTrace(run.Stderr);
        }
    }

    // The kit.dll built beside the tests (a project reference), run by the dotnet host as ./kit does.
    private static (int Code, string Stdout, string Stderr) Kit(params string[] args) => KitCli.Run(args);
}
