using System.Globalization;
using Kit.TestSupport;
using Kit.Training.Config;
using Kit.Training.Recipes;

namespace Kit.Cli.Tests;

/// <summary>Each recipe's own defaults, as `kit params` gives them and `kit train` clips by them.</summary>
public sealed class RecipeDefaultsCliTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-defaults");

    public void Dispose() => _dir.Dispose();

    private static string Ok((int Code, string Stdout, string Stderr) r)
    {
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        return r.Stdout;
    }

    private string Dataset()
    {
        var data = _dir["dataset"];
        Ok(KitCli.Run("sample-dataset", data, "--clips", "8"));
        return data;
    }

    [Fact]
    public void Params_on_one_dataset_gives_each_recipe_its_own_rate_with_the_recipe_and_source_named()
    {
        var data = Dataset();
        var rates = new Dictionary<string, double>();
        var lengths = new Dictionary<string, (double, long)>();
        foreach (var recipe in new[] { "tortoise-gpt", "spectrogram-tiny", "spectrogram-small", "spectrogram-full", "signal-tiny", "signal-full" })
        {
            var stdout = Ok(KitCli.Run("params", data, "--recipe", recipe, "--gpu-memory", "16GB", "--out", _dir[recipe]));
            var row = stdout.Split('\n').Single(l => l.StartsWith("TrainingRate ", StringComparison.Ordinal));
            Assert.Contains($"{recipe}: ", row);
            var config = RunConfigFile.Read(Path.Combine(_dir[recipe], "run.yml"));
            Assert.Equal(recipe, config.ModelRecipe);
            Assert.Equal(RecipeCatalog.Find(recipe).Defaults.TrainingRate.Value, config.Parameters.TrainingRate);
            // How the model reads text is the recipe's too, written where the user changes it (model.phonemes).
            Assert.Equal(RecipeCatalog.Find(recipe).Defaults.Phonemes?.Value, config.Phonemes);
            if (config.Phonemes is { } phonemes) Assert.Matches($@"\nPhonemes +{(phonemes ? "true" : "false")} +{recipe}: ", stdout);
            rates[recipe] = config.Parameters.TrainingRate;
            lengths[recipe] = (config.Parameters.TrainingRate, config.Parameters.TotalSteps);
        }
        Assert.Equal(1e-5, rates["tortoise-gpt"]);
        Assert.Equal(1e-3, rates["spectrogram-full"]);
        Assert.Equal(1e-4, rates["signal-full"]);
        Assert.Equal(2e-3, rates["spectrogram-small"]); // the tiny model's measured rate; the small one runs longer
        Assert.Equal(lengths.Count, lengths.Values.Distinct().Count());
    }

    [Fact]
    public void An_unknown_recipe_is_refused_naming_the_known_ones()
    {
        var (code, _, err) = KitCli.Run("params", Dataset(), "--recipe", "tacotron", "--out", _dir["out"]);
        Assert.Equal(2, code);
        Assert.Contains("no model recipe named 'tacotron'", err);
        Assert.Contains("spectrogram-tiny", err);
    }

    /// <summary>
    /// The trainer names the norm it clips at; that it reaches ApplyUpdate is TrainerClippingTests' (Kit.Training.Tests)
    /// part. The full-size models take one step of two short clips here, on the CPU.
    /// </summary>
    [Theory]
    [InlineData("spectrogram-tiny")]
    [InlineData("spectrogram-small")]
    [InlineData("signal-tiny")]
    [InlineData("spectrogram-full")]
    [InlineData("signal-full")]
    [InlineData("tiny-duration")]
    public void Train_clips_gradients_at_the_recipe_s_own_norm(string recipe)
    {
        var data = Dataset();
        Ok(KitCli.Run("params", data, "--recipe", recipe, "--set", "TrainBS=2", "--set", "ValBS=2", "--out", _dir["params"]));
        var stdout = Ok(KitCli.Run("train", _dir["params/run.yml"], "--output", _dir["run"], "--max-steps", "1"));
        var norm = RecipeCatalog.Find(recipe).Defaults.MaxGradNorm.Value;
        Assert.Contains($"Gradient clipping: norm {norm.ToString("0.###", CultureInfo.InvariantCulture)} ({recipe}'s default: ", stdout);
    }
}
