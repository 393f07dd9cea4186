namespace Kit.Training.Parameters;

/// <summary>One usable clip as the calculator sees it: enough to size batches and estimate memory.</summary>
/// <param name="Id">The clip's audio path as written in its list (e.g. <c>wavs/LJ001-0001.wav</c>).</param>
/// <param name="DurationSeconds">Length of the audio.</param>
/// <param name="TextLength">Characters of the transcript the model reads.</param>
/// <param name="Text">The transcript, when known, so a carved split can be written back out as lists.</param>
public sealed record ClipStats(string Id, double DurationSeconds, int TextLength, string? Text = null);

/// <summary>
/// What the parameter calculator needs from a dataset check: the list files and the clips that passed
/// the check in each (only usable lines count, unlike DLAS's line count).
/// </summary>
public sealed record DatasetStats
{
    /// <summary>The training list (<c>train.txt</c> or <c>metadata.csv</c>), as given.</summary>
    public required string TrainListPath { get; init; }

    /// <summary>The dataset folder clip ids are relative to (default: the training list's folder).</summary>
    public string? Root { get; init; }

    /// <summary>A clip's audio file, absolute.</summary>
    public string AudioPath(ClipStats clip) =>
        Path.GetFullPath(Path.Combine(Root ?? Path.GetDirectoryName(Path.GetFullPath(TrainListPath))!, clip.Id));

    /// <summary>The validation list, or null when the dataset has none.</summary>
    public string? ValListPath { get; init; }

    public required IReadOnlyList<ClipStats> Train { get; init; }

    /// <summary>Usable validation clips (empty when there is no list).</summary>
    public IReadOnlyList<ClipStats> Val { get; init; } = [];

    /// <summary>Lines the check rejected, for the reasons shown beside the counts.</summary>
    public int UnusableTrain { get; init; }
    public int UnusableVal { get; init; }

    /// <summary>True when the validation list is the training list itself (same path after normalising).</summary>
    public bool ValIsTrain => ValListPath is not null && SamePath(TrainListPath, ValListPath);

    public bool HasSeparateValidation => ValListPath is not null && !ValIsTrain;

    /// <summary>The dataset's name for defaults like the experiment name: the list's folder.</summary>
    public string Name
    {
        get
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(TrainListPath));
            var name = dir is null ? null : Path.GetFileName(dir);
            return string.IsNullOrWhiteSpace(name) ? "dataset" : name;
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar),
                      Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);

    /// <summary>Synthetic stats for examples and tests: <paramref name="train"/> and <paramref name="val"/> clips of one length.</summary>
    public static DatasetStats Uniform(int train, int val, double seconds = 6.5, int textLength = 100, string folder = "dataset")
    {
        static ClipStats Clip(string split, int i, double s, int t) => new($"wavs/{split}{i:D5}.wav", s, t);
        return new DatasetStats
        {
            TrainListPath = Path.Combine(folder, "train.txt"),
            ValListPath = val > 0 ? Path.Combine(folder, "val.txt") : null,
            Train = Enumerable.Range(0, train).Select(i => Clip("t", i, seconds, textLength)).ToArray(),
            Val = Enumerable.Range(0, val).Select(i => Clip("v", i, seconds, textLength)).ToArray(),
        };
    }
}
