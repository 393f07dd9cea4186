using System.Text.Json;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Loop;
using Kit.Training.Metrics;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>best.json and early stopping follow the metric run.yml names, which may disagree with the teacher-forced loss.</summary>
public class BestMetricTests
{
    /// <summary>
    /// The tiny recipe really training (its validation loss falls, so by the loss the last step is best), with
    /// free-running measures set by the test: the MCD is lowest at the third validation, the attention's band
    /// mass highest at the second.
    /// </summary>
    private sealed class ScriptedFreeRunning : IRecipe
    {
        public static readonly double[] Mcd = [6.0, 5.0, 4.0, 7.0, 8.0, 9.0];
        public static readonly double[] BandMass = [0.2, 0.9, 0.5, 0.4, 0.3, 0.3];
        public string Name => "tiny-duration-scripted-free-running";
        public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults;
        public ITrainable Create(RecipeContext context) => new Trainable(new TinyDurationRecipe().Create(context));

        private sealed class Trainable(ITrainable inner) : WrappedTrainable(inner)
        {
            private int _validations;
            public override IReadOnlyDictionary<string, double> FreeRunning(int batchSize)
            {
                var i = _validations++;
                return new Dictionary<string, double> { [FreeRunningMetrics.McdDb] = Mcd[i], [FreeRunningMetrics.BandMass] = BandMass[i] };
            }
        }
    }

    private static (TrainingResult Result, JsonElement Best, Dictionary<long, double> Loss) Train(TempDir dir, string? bestMetric, int? patience = null)
    {
        var config = TrainerFixture.Config(dir.Path) with { BestMetric = bestMetric };
        var result = Trainer.Run(config, new ScriptedFreeRunning(),
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 60, KeepLastCheckpoints = 1, EarlyStoppingPatience = patience });
        var loss = MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)).Where(r => r.Kind == "validation")
            .ToDictionary(r => r.Step, r => r.Values["dev_epoch/loss"]);
        using var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "checkpoints", "best.json")));
        return (result, best.RootElement.Clone(), loss);
    }

    [Fact]
    public void Best_json_follows_the_named_metric_where_the_validation_loss_disagrees()
    {
        using var dir = new TempDir();
        var (_, best, loss) = Train(dir, "dev_free/mcd_db");
        Assert.NotEqual(30, loss.MinBy(kv => kv.Value).Key); // the teacher-forced loss picks another step
        Assert.Equal(30, best.GetProperty("step").GetInt64());
        Assert.Equal("dev_free/mcd_db", best.GetProperty("metric").GetString());
        Assert.Equal(4.0, best.GetProperty("value").GetDouble());
        Assert.False(best.TryGetProperty("val_loss", out _));
        // The best step is kept beside the last one, and a run folder stands for it.
        Assert.Equal([30L, 60L], new CheckpointStore(dir.Path).Steps());
        Assert.Equal(30, new CheckpointStore(dir.Path).FindBestOrNewestReadable()!.Step);

        // A higher-better metric picks its highest value.
        using var dir2 = new TempDir();
        var (_, byBand, _) = Train(dir2, "dev_free/band_mass");
        Assert.Equal(20, byBand.GetProperty("step").GetInt64());
        Assert.Equal(0.9, byBand.GetProperty("value").GetDouble());

        // Unnamed: the recipe's own (this one keeps the default, the validation loss), written as before.
        using var dir3 = new TempDir();
        var (_, byLoss, loss3) = Train(dir3, null);
        Assert.Equal(loss3.MinBy(kv => kv.Value).Key, byLoss.GetProperty("step").GetInt64());
        Assert.Equal("dev_epoch/loss", byLoss.GetProperty("metric").GetString());
        Assert.Equal(loss3.Values.Min(), byLoss.GetProperty("val_loss").GetDouble());
    }

    [Fact]
    public async Task The_live_view_draws_the_free_running_curves_and_says_the_last_mcd()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path);
        var run = Trainer.Start(config, new ScriptedFreeRunning(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 60 });
        await run.Completion;
        var html = run.Display.Render()[0].Content;
        Assert.Contains("free-running MCD-DTW", html);
        Assert.Contains("free-running attention", html);
        var status = run.Display.ToString();
        Assert.True(status.Contains("free-running MCD 9.00 dB, attention near the diagonal 30%"), status);
    }

    [Fact]
    public void Early_stopping_follows_the_named_metric()
    {
        using var dir = new TempDir();
        var (result, best, _) = Train(dir, "dev_free/mcd_db", patience: 2);
        Assert.Equal(50, result.Step); // best at 30, no improvement at 40 and 50
        Assert.Contains("dev_free/mcd_db has not improved for 2 validations (best 4.0000", result.StopReason);
        Assert.Equal(30, best.GetProperty("step").GetInt64());
    }

    [Fact]
    public void Phonemes_for_a_recipe_that_reads_no_text_is_refused_with_its_line_before_the_run_folder_is_made()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "run.yml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"]) with { Phonemes = true }, path);
        var config = RunConfigFile.Read(path);
        var e = Assert.Throws<ConfigFormatException>(() => Trainer.Run(config, new TinyDurationRecipe(),
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 20 }));
        var line = File.ReadAllLines(path).ToList().FindIndex(l => l.Contains("phonemes:")) + 1;
        Assert.Equal($"{path}:{line}: model.phonemes: tiny-duration reads no text, so it has no phonemes to choose; remove the line", e.Message);
        Assert.False(Directory.Exists(dir["run"]) && Directory.EnumerateFileSystemEntries(dir["run"]).Any());
    }

    [Fact]
    public void A_best_metric_the_recipe_does_not_report_is_refused_at_the_first_validation_with_its_line()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "run.yml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"]) with { BestMetric = "dev_epoch/los" }, path);
        var config = RunConfigFile.Read(path);
        var e = Assert.Throws<ConfigFormatException>(() => Trainer.Run(config, new TinyDurationRecipe(),
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 20 }));
        var line = File.ReadAllLines(path).ToList().FindIndex(l => l.StartsWith("best_metric:")) + 1;
        Assert.StartsWith($"{path}:{line}: best_metric: best metric 'dev_epoch/los' is not one tiny-duration's validation reports; did you mean 'dev_epoch/loss'?", e.Message);
    }
}
