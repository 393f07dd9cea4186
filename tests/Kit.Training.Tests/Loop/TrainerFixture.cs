using Kit.Training.Config;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>Run configs for the tiny recipe on the kit's sample dataset (real espeak-ng speech, 36 train + 4 validation clips).</summary>
public static class TrainerFixture
{
    public static string DatasetFolder => SampleDatasets.Get(40);

    /// <summary>A demo run with no step limit of its own: each test stops it with TrainerOptions.MaxSteps.</summary>
    public static RunConfig Config(string runDirectory, int saveFreq = 10, int valFreq = 10, int printFreq = 5, double lr = 0.05, int seed = 1) =>
        DemoRun.Config(DatasetFolder, runDirectory, steps: 1_000_000, learningRate: lr, validateEvery: valFreq, saveEvery: saveFreq,
            printEvery: printFreq, seed: seed, name: "trainer-test");
}
