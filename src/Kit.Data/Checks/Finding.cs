namespace Kit.Data.Checks;

/// <summary>How bad a finding is.</summary>
public enum Severity
{
    /// <summary>Usable but suspicious: worth a look.</summary>
    Warning,
    /// <summary>The line cannot be used for training as it is.</summary>
    Error,
}

/// <summary>
/// One problem on one line of a list file. <see cref="Line"/> is 1-based; 0 means the list file as a whole.
/// <see cref="File"/> is the audio file (relative to the dataset folder) when the finding is about audio,
/// otherwise the list file.
/// </summary>
public sealed record Finding(
    Datasets.Split Split,
    int Line,
    string File,
    string Code,
    Severity Severity,
    string Message)
{
    /// <summary>The list file the line is in, relative to the dataset folder.</summary>
    public string ListFile { get; init; } = "";

    public override string ToString() =>
        $"{ListFile}{(Line > 0 ? $":{Line}" : "")}: {Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
}
