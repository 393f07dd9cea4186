using Kit.Data.Checks;

namespace Kit.Data.Datasets;

/// <summary>A list file read line by line: its entries and the findings about lines that are not entries.</summary>
public sealed record ListFile(Split Split, string Path, string Name, int LineCount, IReadOnlyList<DatasetEntry> Entries, IReadOnlyList<Finding> Findings);
