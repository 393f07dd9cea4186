using Kit.Training.Config;
using Kit.Training.Metrics;
using Kit.TestSupport;

namespace Kit.Recipes.Tests;

/// <summary>
/// Small datasets cut from the kit's sample dataset (real espeak-ng speech) and run configs for the model
/// recipes: a handful of short clips, so a model can overfit them in a test's time on two CPU cores.
/// </summary>
public static class ModelFixture
{
    /// <summary>A folder with train.txt (the <paramref name="clips"/> shortest sample clips) and val.txt (two of them).</summary>
    public static string Handful(string folder, int clips = 4)
    {
        var source = SampleDatasets.Get();
        var lines = File.ReadAllLines(Path.Combine(source, "train.txt"))
            .OrderBy(l => new FileInfo(Path.Combine(source, l.Split('|')[0])).Length).Take(clips)
            .Select(l => Path.Combine(source, l.Split('|')[0]) + "|" + l.Split('|', 2)[1]).ToArray();
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "train.txt"), lines);
        File.WriteAllLines(Path.Combine(folder, "val.txt"), lines.Take(2));
        return folder;
    }

    public static RunConfig Config(string dataset, string runDirectory, string recipe, int batch = 4, double lr = 3e-3, int valFreq = 50, int saveFreq = 50) =>
        DemoRun.Config(dataset, runDirectory, recipe, steps: 1_000_000, learningRate: lr, batch: batch, validateEvery: valFreq,
            saveEvery: saveFreq, printEvery: 10, name: "models-test", decaySteps: [100_000, 200_000, 300_000, 400_000]);

    public static double[] Column(string runDir, string kind, string name) =>
        MetricsLog.Read(Path.Combine(runDir, MetricsLog.FileName)).Where(r => r.Kind == kind && r.Values.ContainsKey(name)).Select(r => r.Values[name]).ToArray();
}
