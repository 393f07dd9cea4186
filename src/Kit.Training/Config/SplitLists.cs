using Kit.Training.Parameters;

namespace Kit.Training.Config;

/// <summary>
/// Writes the training and validation clips of a calculated split as DLAS/LJSpeech lists
/// (<c>path|text</c>), with absolute audio paths so the lists work from any folder. Used when the kit
/// carved the validation set, so DLAS trains on exactly the same split.
/// </summary>
public static class SplitLists
{
    public const string TrainFile = "dlas-train.txt";
    public const string ValFile = "dlas-val.txt";

    public static (string Train, string Val) Write(ParameterSet set, string folder)
    {
        Directory.CreateDirectory(folder);
        var train = Path.GetFullPath(Path.Combine(folder, TrainFile));
        var val = Path.GetFullPath(Path.Combine(folder, ValFile));
        WriteList(set.Dataset, set.TrainClips, train);
        WriteList(set.Dataset, set.ValClips, val);
        return (train, val);
    }

    private static void WriteList(DatasetStats stats, IReadOnlyList<ClipStats> clips, string path)
    {
        var lines = clips.Select(c => c.Text is null
            ? throw new ParameterException($"{c.Id}: the clip's transcript is unknown, so the split cannot be written as a list (load the dataset check's report)")
            : $"{stats.AudioPath(c)}|{c.Text}");
        File.WriteAllLines(path + ".tmp", lines);
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
