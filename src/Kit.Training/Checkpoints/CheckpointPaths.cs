namespace Kit.Training.Checkpoints;

/// <summary>
/// Where a model's weights are, given what a person points at: the weights file, a checkpoint folder (a step
/// named by hand), or a run folder: its best checkpoint by the run's best metric (best.json) when that reads
/// back intact, else its newest readable one.
/// </summary>
public static class CheckpointPaths
{
    public static string Weights(string path)
    {
        if (File.Exists(path)) return path;
        if (!Directory.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint file or folder", path);
        var direct = Path.Combine(path, CheckpointFiles.InferenceWeights);
        if (File.Exists(direct)) return direct;
        var newest = new CheckpointStore(path).FindBestOrNewestReadable()
            ?? throw new FileNotFoundException($"{path}: no {CheckpointFiles.InferenceWeights} and no readable checkpoint under {CheckpointFiles.CheckpointsFolder}/", path);
        return newest.PathOf(CheckpointFiles.InferenceWeights);
    }
}
