using Kit.Data.Samples;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;

namespace Kit.Training.Config;

/// <summary>
/// The short runs the kit trains to show itself: the demos of notebooks 03 to 05, the tests' fixtures and
/// `kit bench trainer`. They share one shape: a dataset folder's train.txt and val.txt (usually the built-in
/// espeak-ng sample), fp32, no warmup, no gradient accumulation, the whole validation list in one batch and a
/// learning rate that does not decay within the run. What differs between them (recipe, steps, batch, rate, how
/// often to validate, save and print) is a parameter here, or a <c>with</c> on the config it returns.
/// </summary>
public static class DemoRun
{
    /// <summary>Where notebook 03 trains its demo runs and notebook 04 looks for the newest of them.</summary>
    public static string Root => Path.Combine(Path.GetTempPath(), "kit-demo");

    /// <summary>The steps the learning rate halves at: past a demo's tens of steps, so its rate stays as set.</summary>
    public static readonly IReadOnlyList<int> DecaySteps = [1000, 2000, 3000, 4000];

    /// <summary>
    /// The run config of a short run of <paramref name="recipe"/> on <paramref name="dataset"/> (a folder with
    /// train.txt and val.txt) into <paramref name="outputFolder"/>. The defaults are notebook 03's demo; the
    /// learning rate defaults to the recipe's own.
    /// </summary>
    public static RunConfig Config(string dataset, string outputFolder, string recipe = TinyDurationRecipe.RecipeName,
        int steps = 40, double? learningRate = null, int batch = 8, int validateEvery = 10, int saveEvery = 20,
        int printEvery = 5, int seed = 1, string name = "demo", IReadOnlyList<int>? decaySteps = null)
    {
        string train = Path.Combine(dataset, "train.txt"), val = Path.Combine(dataset, "val.txt");
        int trainClips = ClipsIn(train), valClips = ClipsIn(val);
        return new RunConfig
        {
            Profile = KitProfile.Name,
            ModelRecipe = recipe,
            TrainList = train,
            ValList = val,
            Validation = ValidationSource.List,
            TrainClips = trainClips,
            ValClips = valClips,
            OutputFolder = outputFolder,
            Parameters = new TrainingParameters
            {
                TrainBS = batch, ValBS = Math.Max(1, valClips), ValFreq = validateEvery, PrintFreq = printEvery,
                SaveCheckpointFreq = saveEvery, LRDecaySteps = decaySteps ?? DecaySteps,
                TrainingRate = learningRate ?? LearningRateFor(recipe), Fp16 = Recipes.TrainingPrecision.Fp32, ExperimentName = name,
                WarmupSteps = 0, MegaBatchFactor = 1, Seed = seed, TotalSteps = steps,
            },
        };
    }

    /// <summary>The rate a demo of <paramref name="recipe"/> trains at: the recipe's own default (<see cref="IRecipe.Defaults"/>).</summary>
    public static double LearningRateFor(string recipe) => RecipeCatalog.Find(recipe).Defaults.TrainingRate.Value;

    /// <summary>The built-in sample dataset of <paramref name="clips"/> clips under <paramref name="root"/> (default <see cref="Root"/>), made on first use.</summary>
    public static async Task<string> SampleDatasetAsync(int clips, string? root = null)
    {
        var folder = Path.Combine(root ?? Root, $"sample-dataset-{clips}");
        await SampleDataset.CreateAsync(folder, clips);
        return folder;
    }

    /// <summary>A new run folder's path under <paramref name="root"/> (default <see cref="Root"/>), named for the time: run-yyyyMMdd-HHmmss.</summary>
    public static string NewRunFolder(string? root = null) =>
        Path.Combine(root ?? Root, "run-" + DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    private static int ClipsIn(string list) =>
        File.Exists(list) ? File.ReadLines(list).Count(l => !string.IsNullOrWhiteSpace(l)) : 0;
}
