namespace Kit.Data.Datasets;

/// <summary>
/// One usable-shaped line of a list file: an audio file and its transcript. <see cref="AudioPath"/> is
/// absolute; <see cref="Audio"/> is what the user sees: relative to the dataset folder, or absolute as written.
/// </summary>
public sealed record DatasetEntry(
    Split Split,
    int Line,
    string ListFile,
    string AudioPath,
    string Audio,
    string Text,
    string? NormalizedText)
{
    /// <summary>
    /// The text the model trains on: the normalized column when the line has one (LJSpeech's third
    /// column), otherwise the text.
    /// </summary>
    public string TrainingText => string.IsNullOrWhiteSpace(NormalizedText) ? Text : NormalizedText;
}
