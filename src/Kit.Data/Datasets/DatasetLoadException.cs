namespace Kit.Data.Datasets;

/// <summary>The dataset cannot be read at all (no such folder, no list file, an unreadable list file).</summary>
public sealed class DatasetLoadException(string message, Exception? inner = null) : Exception(message, inner);
