using Kit.Data.Checks;
using Kit.Data.Datasets;

namespace Kit.Training.Parameters;

/// <summary>
/// Turns the dataset check's report (live, or loaded from the JSON `kit check --json` wrote) into the
/// calculator's input: train.txt (else metadata.csv) for training, val.txt for validation, and only the
/// entries the check found usable.
/// </summary>
public static class CheckReportAdapter
{
    /// <summary>
    /// The check report for <paramref name="dataset"/>: the one saved at <paramref name="checkJson"/> (notebook 01's
    /// or `kit check --json`'s) when it exists and is about this dataset, else a fresh check.
    /// </summary>
    public static DatasetCheckReport LoadOrCheck(string dataset, string? checkJson, IProgress<(int Done, int Total)>? progress = null)
    {
        if (!string.IsNullOrWhiteSpace(checkJson) && File.Exists(checkJson))
        {
            var saved = DatasetCheckReport.Load(checkJson);
            var folder = Directory.Exists(dataset) ? Path.GetFullPath(dataset) : Path.GetDirectoryName(Path.GetFullPath(dataset));
            if (string.Equals(Path.TrimEndingDirectorySeparator(saved.Dataset), Path.TrimEndingDirectorySeparator(folder ?? ""), StringComparison.Ordinal))
                return saved;
        }
        try
        {
            return DatasetCheck.Run(dataset, new DatasetCheckOptions { Progress = progress });
        }
        catch (DatasetLoadException e)
        {
            return DatasetCheckReport.Unreadable(dataset, e.Message);
        }
    }

    public static DatasetStats ToDatasetStats(this DatasetCheckReport report)
    {
        if (report.ExitCode == 2)
            throw new ParameterException($"{report.Dataset}: the dataset could not be read: {report.Error}");
        var splits = report.Summary.Splits;
        var train = splits.FirstOrDefault(s => s.Split == Split.Train) ?? splits.FirstOrDefault(s => s.Split == Split.Metadata)
                    ?? throw new ParameterException($"{report.Dataset}: the check found no training list (train.txt or metadata.csv)");
        var val = splits.FirstOrDefault(s => s.Split == Split.Val);

        IReadOnlyList<ClipStats> Usable(Split split) => report.UsableEntries(split)
            .Select(e => new ClipStats(e.Audio, e.DurationSeconds ?? 0, e.TextLength, e.Text)).ToArray();
        int Unusable(Split split) => report.Entries.Count(e => e.Split == split && !e.Usable);

        return new DatasetStats
        {
            TrainListPath = Path.Combine(report.Dataset, train.ListFile),
            ValListPath = val is null ? null : Path.Combine(report.Dataset, val.ListFile),
            Train = Usable(train.Split),
            Val = val is null ? [] : Usable(Split.Val),
            UnusableTrain = Unusable(train.Split),
            UnusableVal = val is null ? 0 : Unusable(Split.Val),
            Root = report.Dataset,
        };
    }
}
