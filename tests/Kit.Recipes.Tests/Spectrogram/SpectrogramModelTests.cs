using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Models.Synthesis;
using Kit.Training.Checkpoints;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Recipes.Tests.Spectrogram;

public class SpectrogramModelTests
{
    [Fact]
    public void Tiny_model_overfits_a_handful_of_clips_and_its_attention_becomes_diagonal()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"]);
        var run = dir["run"];
        var config = ModelFixture.Config(data, run, TinySpectrogramRecipe.RecipeName);
        var options = TrainerOptions.FromConfig(config) with { MaxSteps = 1 };
        Trainer.Run(config, new TinySpectrogramRecipe(), options: options);
        var before = AlignmentShape(run, data);
        // Resumed from the one-step checkpoint: the trainer's resume path with this recipe's state dicts.
        var log = new List<string>();
        var result = Trainer.Run(Trainer.ReadRunConfig(run), new TinySpectrogramRecipe(), runDirectory: run, options: options with { MaxSteps = 200 }, resume: true, log: log.Add);
        Assert.Equal(200, result.Step);
        foreach (var name in new[] { "pre_spectrogram_loss", "post_spectrogram_loss", "stop_token_loss" })
        {
            var losses = ModelFixture.Column(run, "train", "train/" + name);
            Assert.True(losses[^1] < losses[0] * 0.5, $"{name} went {losses[0]} → {losses[^1]}");
        }
        var after = AlignmentShape(run, data);
        Assert.True(after.BandMass > 0.6 && after.BandMass > before.BandMass + 0.15,
            $"attention mass near the diagonal went {before.BandMass:F2} → {after.BandMass:F2}");
        Assert.True(after.Monotonic > 0.8, $"only {after.Monotonic:P0} of decoder steps move forward in the text");
        Assert.DoesNotContain(log, l => l.StartsWith("Could not make the samples"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "samples"), "*alignment.png", SearchOption.AllDirectories));
    }

    private static AlignmentStats AlignmentShape(string run, string data)
    {
        // The newest checkpoint, the model as trained so far (the run folder itself stands for the best by free-running MCD).
        using var model = SpectrogramSynthesizer.Load(CheckpointPaths.Weights(new CheckpointStore(run).FindNewestReadable()!.Folder));
        var lines = File.ReadAllLines(Path.Combine(data, "train.txt")).Select(l => l.Split('|')).ToArray();
        return AlignmentStats.Average(lines.Select(l => model.TeacherForcedAlignment(l[1], l[0])));
    }
}
