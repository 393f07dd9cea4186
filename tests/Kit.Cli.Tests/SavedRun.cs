using Kit.Training.Checkpoints;

namespace Kit.Cli.Tests;

/// <summary>A run folder as the trainer leaves it: config.yaml and checkpoints of steps 10 and 20 saved through the trainer's own store.</summary>
internal static class SavedRun
{
    public static string Create(string run)
    {
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, CheckpointFiles.ConfigFile), "version: 1\n");
        var store = new CheckpointStore(run);
        foreach (var step in new long[] { 10, 20 })
            store.Save(step, null, 1000, w =>
            {
                w.Write(CheckpointFiles.InferenceWeights, s => s.Write(Enumerable.Range(0, 200_000).Select(i => (byte)(i * step)).ToArray()));
                w.WriteJson(TrainingProgress.FileName, new TrainingProgress { Step = step });
            });
        return run;
    }
}
