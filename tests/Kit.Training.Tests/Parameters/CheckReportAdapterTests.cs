using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.TestSupport;
using Kit.Data;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Parameters;

public class CheckReportAdapterTests
{
    private static CheckedEntry Entry(Split split, int line, bool usable, double seconds = 3) => new()
    {
        Split = split, Line = line, Audio = $"wavs/{split}-{line}.wav", Text = $"line {line}", TextLength = 6 + line.ToString().Length,
        DurationSeconds = usable ? seconds : null, Usable = usable,
    };

    [Fact]
    public void Only_usable_entries_of_train_and_val_count_and_the_json_round_trip_keeps_them()
    {
        using var dir = new TempDir();
        var entries = Enumerable.Range(1, 30).Select(i => Entry(Split.Metadata, i, true))
            .Concat(Enumerable.Range(1, 20).Select(i => Entry(Split.Train, i, i != 7)))
            .Concat(Enumerable.Range(1, 5).Select(i => Entry(Split.Val, i, i != 2)))
            .ToList();
        var report = new DatasetCheckReport
        {
            Dataset = dir.Path,
            Entries = entries,
            Summary = new DatasetSummary
            {
                Splits =
                [
                    new SplitSummary { Split = Split.Metadata, ListFile = "metadata.csv" },
                    new SplitSummary { Split = Split.Train, ListFile = "train.txt" },
                    new SplitSummary { Split = Split.Val, ListFile = "val.txt" },
                ],
            },
        };
        report.Save(dir["check.json"]);
        var stats = DatasetCheckReport.Load(dir["check.json"]).ToDatasetStats();
        Assert.Equal(Path.Combine(dir.Path, "train.txt"), stats.TrainListPath);
        Assert.Equal(Path.Combine(dir.Path, "val.txt"), stats.ValListPath);
        Assert.Equal((19, 4, 1, 1), (stats.Train.Count, stats.Val.Count, stats.UnusableTrain, stats.UnusableVal));
        Assert.DoesNotContain(stats.Train, c => c.Id == "wavs/Train-7.wav");
        Assert.Equal("line 1", stats.Train[0].Text);
        Assert.Equal(Path.Combine(dir.Path, "wavs", "Train-1.wav"), stats.AudioPath(stats.Train[0]));
    }

    [Fact]
    public void Metadata_alone_is_the_training_list_with_no_validation()
    {
        var report = new DatasetCheckReport
        {
            Dataset = "/data/lj",
            Entries = Enumerable.Range(1, 12).Select(i => Entry(Split.Metadata, i, true)).ToList(),
            Summary = new DatasetSummary { Splits = [new SplitSummary { Split = Split.Metadata, ListFile = "metadata.csv" }] },
        };
        var stats = report.ToDatasetStats();
        Assert.Equal("/data/lj/metadata.csv", stats.TrainListPath);
        Assert.Null(stats.ValListPath);
        Assert.Equal(12, stats.Train.Count);
    }

    [Fact]
    public void An_unreadable_dataset_is_an_error()
    {
        var e = Assert.Throws<ParameterException>(() => DatasetCheckReport.Unreadable("/nowhere", "no such folder").ToDatasetStats());
        Assert.Contains("no such folder", e.Message);
    }
}

public class LoadOrCheckTests
{
    [Fact]
    public void A_saved_report_is_reused_only_for_its_own_dataset()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir["a"]);
        Directory.CreateDirectory(dir["b"]);
        var saved = new DatasetCheckReport
        {
            Dataset = dir["a"],
            Entries = [new CheckedEntry { Split = Split.Train, Line = 1, Audio = "wavs/x.wav", Text = "x", TextLength = 1, DurationSeconds = 1, Usable = true }],
            Summary = new DatasetSummary { Splits = [new SplitSummary { Split = Split.Train, ListFile = "train.txt" }] },
        };
        saved.Save(dir["check.json"]);
        Assert.Single(CheckReportAdapter.LoadOrCheck(dir["a"], dir["check.json"]).Entries);
        Assert.Single(CheckReportAdapter.LoadOrCheck(dir["a"] + "/", dir["check.json"]).Entries);
        // Folder b has no lists: it is checked afresh (and found unreadable), not answered with a's report.
        var fresh = CheckReportAdapter.LoadOrCheck(dir["b"], dir["check.json"]);
        Assert.Equal(2, fresh.ExitCode);
        Assert.Contains("metadata.csv", fresh.Error);
    }

    [Fact]
    public void A_line_of_overrides_splits_on_semicolons_and_new_lines()
    {
        var o = ParameterOverrides.ParseLine("TrainBS=32; LRDecaySteps=100,200,300,400\nFp16=true;");
        Assert.Equal(32, o.Values["TrainBS"]);
        Assert.Equal(new[] { 100, 200, 300, 400 }, (int[])o.Values["LRDecaySteps"]);
        Assert.Equal(Kit.Training.Recipes.TrainingPrecision.Half, o.Values["Fp16"]);
        Assert.Empty(ParameterOverrides.ParseLine("  ").Values);
    }
}
