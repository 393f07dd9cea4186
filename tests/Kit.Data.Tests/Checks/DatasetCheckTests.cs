using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.Display;
using Kit.TestSupport;

namespace Kit.Data.Tests.Checks;

public sealed class DatasetCheckTests(PlantedDataset planted) : IClassFixture<PlantedDataset>
{
    public static TheoryData<string> AllCodes => new(FindingCodes.All.Select(c => c.Code));

    [Theory]
    [MemberData(nameof(AllCodes))]
    public void Each_code_is_reported_where_it_was_planted(string code)
    {
        Assert.True(planted.Planted.TryGetValue(code, out var at), $"no line plants {code}: add one to PlantedDataset");
        var found = planted.Report.Findings.Where(f => f.ListFile == at.List && f.Line == at.Line).ToList();
        var finding = found.FirstOrDefault(f => f.Code == code);
        Assert.True(finding is not null, $"{code} not reported on {at.List}:{at.Line}; found there: {string.Join(", ", found.Select(f => f.Code))}");
        Assert.Equal(FindingCodes.All.Single(c => c.Code == code).Severity, finding.Severity);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
        // Nothing else stands out on a line planted with one problem, except what follows from it.
        var expectedAlongside = new Dictionary<string, string[]>
        {
            [FindingCodes.InvalidUtf8] = [FindingCodes.UnsupportedCharacters],
            [FindingCodes.TooShort] = [FindingCodes.SpeakingRateOutlier],
            [FindingCodes.TooLong] = [FindingCodes.SpeakingRateOutlier],
            [FindingCodes.TextTooLong] = [FindingCodes.SpeakingRateOutlier],
            [FindingCodes.Silent] = [FindingCodes.SpeakingRateOutlier],
            [FindingCodes.LongSilence] = [FindingCodes.SpeakingRateOutlier],
        };
        var extra = found.Select(f => f.Code).Where(c => c != code && !expectedAlongside.GetValueOrDefault(code, []).Contains(c)).ToList();
        Assert.True(extra.Count == 0, $"{at.List}:{at.Line} planted with {code} also has {string.Join(", ", extra)}");
    }

    [Fact]
    public void The_untouched_sample_lines_have_no_findings()
    {
        var noisy = planted.CleanLines
            .SelectMany(l => planted.Report.Findings.Where(f => f.ListFile == l.List && f.Line == l.Line))
            .ToList();
        Assert.True(noisy.Count == 0, string.Join("\n", noisy));
    }

    [Fact]
    public void Errors_make_lines_unusable_and_the_exit_status_1()
    {
        var r = planted.Report;
        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain(r.UsableEntries(Split.Train), e => e.Audio == "wavs/does-not-exist.wav");
        Assert.Contains(r.UsableEntries(Split.Train), e => e.Audio == "wavs/stereo.wav");
        var train = r.Summary.Splits.Single(s => s.Split == Split.Train);
        Assert.Equal(r.UsableEntries(Split.Train).Count(), train.Usable);
        Assert.True(train.Usable < train.Lines);
        Assert.Contains(16000, r.Summary.SampleRates.Keys);
        Assert.Contains(2, r.Summary.Channels.Keys);
        Assert.Contains("WAV 64-bit float", r.Summary.Formats.Keys);
        Assert.Contains("\U0001F389", r.Summary.UnsupportedCharacters);
    }

    [Fact]
    public void The_json_report_reads_back_the_same()
    {
        var path = Path.Combine(planted.Root, "report.json");
        planted.Report.Save(path);
        var loaded = DatasetCheckReport.Load(path);
        Assert.Equal(planted.Report.Findings, loaded.Findings);
        Assert.Equal(planted.Report.Summary.Durations, loaded.Summary.Durations with { Histogram = planted.Report.Summary.Durations.Histogram });
        Assert.Equal(planted.Report.Summary.Durations.Histogram.Counts, loaded.Summary.Durations.Histogram.Counts);
        Assert.Equal(planted.Report.UsableEntries(Split.Val).Select(e => (e.Audio, e.DurationSeconds, e.TextLength)),
            loaded.UsableEntries(Split.Val).Select(e => (e.Audio, e.DurationSeconds, e.TextLength)));
        Assert.Equal(planted.Report.Summary.SampleRates, loaded.Summary.SampleRates);
        var json = File.ReadAllText(path);
        Assert.Contains("\"code\": \"split-overlap\"", json);
        Assert.Contains("\"severity\": \"error\"", json);
        Assert.Contains("\"split\": \"val\"", json);
    }

    [Fact]
    public void The_report_renders_html_tables_and_text()
    {
        var renderings = planted.Report.Render();
        var html = renderings.Single(r => r.MimeType == Rendering.Html).Content;
        var text = renderings.Single(r => r.MimeType == Rendering.Text).Content;
        Assert.Contains("<table", html);
        Assert.Contains("split-overlap", html);
        Assert.Contains("error(s)", text);
        Assert.Contains("<td>", planted.Report.FindingsTable().Render()[0].Content);
        Assert.Contains("bar", planted.Report.DurationHistogramTable().Render()[0].Content);
    }
}

public sealed class CleanDatasetCheckTests
{
    [Fact]
    public void The_sample_dataset_has_no_errors()
    {
        var report = DatasetCheck.Run(SampleDatasets.Get());
        Assert.True(report.ExitCode == 0, string.Join("\n", report.Findings));
        Assert.Equal(24, report.Summary.Clips);
        Assert.Equal(24, report.UsableEntries(Split.Metadata).Count());
        Assert.Equal(24, report.UsableEntries(Split.Train).Count() + report.UsableEntries(Split.Val).Count());
        Assert.Equal(24, report.Summary.Durations.Histogram.Counts.Sum());
        Assert.Equal([22050], report.Summary.SampleRates.Keys);
        Assert.InRange(report.Summary.SpeakingRates.Median, 8, 30);
    }

    [Fact]
    public void A_missing_dataset_is_a_load_error()
    {
        Assert.Throws<DatasetLoadException>(() => DatasetCheck.Run(Path.Combine(Path.GetTempPath(), "kit-no-such-dataset-" + Guid.NewGuid())));
    }
}
