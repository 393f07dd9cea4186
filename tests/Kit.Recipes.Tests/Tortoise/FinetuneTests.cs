using Kit.TestSupport;
using Kit.Recipes.Tortoise;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Loop;
using Kit.Training.Metrics;
using Kit.Training.Parameters;

namespace Kit.Recipes.Tests.Tortoise;

public sealed class FinetuneTests
{
    internal static RunConfig Config(string runDirectory, string dataset, string recipe, double lr, int steps) =>
        DemoRun.Config(dataset, runDirectory, recipe, steps, lr, batch: 4, validateEvery: steps, saveEvery: steps,
            printEvery: 10, seed: 3, name: "tortoise-test") with { Profile = DlasProfile.Name };

    [Fact]
    public void Fine_tuning_the_tiny_gpt_on_the_sample_dataset_lowers_both_losses_and_saves_a_tortoise_state_dict()
    {
        using var dir = new TempDir("finetune");
        const int steps = 40;
        var config = Config(dir.Path, SampleDatasets.Get(), TinyTortoiseGptRecipe.RecipeName, lr: 1e-3, steps);
        var recipe = new TinyTortoiseGptRecipe();
        var lines = new List<string>();
        var result = Trainer.Run(config, recipe, options: TrainerOptions.FromConfig(config), log: lines.Add);
        Assert.Equal(steps, result.Step);
        Assert.Contains("Gradient clipping: norm 4 (tortoise-gpt-tiny's default: EXAMPLE_gpt.yml clips the gradients' norm at 4)", lines);

        var rows = MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)).Where(r => r.Kind == "train").ToList();
        foreach (var name in new[] { "train/loss_text_ce", "train/loss_mel_ce" })
        {
            var values = rows.Select(r => r.Values[name]).ToArray();
            double first = values.Take(5).Average(), last = values.TakeLast(5).Average();
            Assert.True(last < first * 0.9, $"{name} went {first:F3} → {last:F3}");
        }
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir.Path, "dvae-codes"), "*.codes"));

        var checkpoint = new CheckpointStore(dir.Path).FindNewestReadable()!;
        var check = ReferencePython.Run(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "unified_voice_reference.py")),
            "load", System.Text.Json.JsonSerializer.Serialize(Kit.Tortoise.Model.UnifiedVoiceConfig.Tiny), checkpoint.PathOf(CheckpointFiles.InferenceWeights));
        Assert.StartsWith("ok", check.Trim());
    }

    [Fact]
    public void Missing_base_files_are_named_with_where_tortoise_publishes_them()
    {
        using var dir = new TempDir("finetune-missing");
        var config = Config(dir.Path, SampleDatasets.Get(), FullTortoiseGptRecipe.RecipeName, lr: 1e-5, 1);
        var recipe = new FullTortoiseGptRecipe { Options = new TortoiseGptOptions { BaseModel = dir["nope/autoregressive.pth"] } };
        var e = Assert.ThrowsAny<Exception>(() => Trainer.Run(config, recipe, options: TrainerOptions.FromConfig(config)));
        var message = e.ToString();
        Assert.Contains("autoregressive.pth", message);
        Assert.Contains("--dvae is missing", message);
        Assert.Contains("huggingface.co/jbetker/tortoise-tts-v2", message);
    }
}
