using Kit.Data.Samples;
using Kit.Training.Config;
using Kit.Training.Parameters;
using Kit.Training.Recipes.Tiny;
using Kit.TestSupport;

namespace Kit.Training.Tests.Trainer;

/// <summary>The kit's sample dataset (real espeak-ng speech), made once under build/ and shared by the trainer tests.</summary>
public static class TrainerFixture
{
    private static readonly Lazy<string> Dataset = new(() =>
    {
        var folder = Path.Combine(RepoPaths.Root, "build", "test-data", "trainer-sample-40");
        SampleDataset.CreateAsync(folder, 40).GetAwaiter().GetResult();
        return folder;
    });

    public static string DatasetFolder => Dataset.Value;

    public static RunConfig Config(string runDirectory, int saveFreq = 10, int valFreq = 10, int printFreq = 5, double lr = 0.05, int seed = 1) => new()
    {
        Profile = "kit",
        ModelRecipe = TinyDurationRecipe.RecipeName,
        TrainList = Path.Combine(DatasetFolder, "train.txt"),
        ValList = Path.Combine(DatasetFolder, "val.txt"),
        Validation = ValidationSource.List,
        TrainClips = 36,
        ValClips = 4,
        OutputFolder = runDirectory,
        Parameters = new TrainingParameters
        {
            TrainBS = 8, ValBS = 4, ValFreq = valFreq, PrintFreq = printFreq, SaveCheckpointFreq = saveFreq,
            LRDecaySteps = [1000, 2000, 3000, 4000], TrainingRate = lr, Fp16 = false, ExperimentName = "trainer-test",
            WarmupSteps = 0, MegaBatchFactor = 1, Seed = seed, TotalSteps = 1_000_000,
        },
    };
}
