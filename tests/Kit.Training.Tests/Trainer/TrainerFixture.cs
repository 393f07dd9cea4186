using Kit.Training.Config;
using Kit.Training.Parameters;
using Kit.Training.Recipes.Tiny;
using Kit.TestSupport;

namespace Kit.Training.Tests.Trainer;

/// <summary>Run configs for the tiny recipe on the kit's sample dataset (real espeak-ng speech, 36 train + 4 validation clips).</summary>
public static class TrainerFixture
{
    public static string DatasetFolder => SampleDatasets.Get(40);

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
