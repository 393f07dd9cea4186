using Kit.Training.Checkpoints;
using Kit.Training.Metrics;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>The trainer driving a recipe on the tensor engine (libtorch): learning, state-dict checkpoints, exact resume.</summary>
[Collection(TorchTrainerRuns.Name)]
public class TorchRecipeTests
{
    private static double[] Column(string runDir, string kind, string name) =>
        MetricsLog.Read(Path.Combine(runDir, MetricsLog.FileName)).Where(r => r.Kind == kind).Select(r => r.Values[name]).ToArray();

    [Fact]
    public void Lowers_the_loss_and_writes_state_dicts_torch_can_load()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, lr: 0.01);
        var result = Trainer.Run(config, new TinyDurationTorchRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 60, MaxGradNorm = 4 });
        Assert.Equal(60, result.Step);
        var val = Column(dir.Path, "validation", "dev_epoch/loss");
        Assert.True(val[^1] < val[0] * 0.5, $"validation loss went {val[0]} → {val[^1]}");
        var checkpoint = new CheckpointStore(dir.Path).FindNewestReadable()!;
        var keys = ReferencePython.Run("""
import sys, torch
m = torch.load(sys.argv[1]); s = torch.load(sys.argv[2])
print(sorted(m.keys())); print(len(s) > 0)
""", checkpoint.PathOf(CheckpointFiles.InferenceWeights), checkpoint.PathOf(CheckpointFiles.TrainingState));
        Assert.Contains("['0.bias', '0.weight', '2.bias', '2.weight']", keys);
        Assert.Contains("True", keys);
    }

    [Fact]
    public void Resume_gives_the_same_losses_as_an_uninterrupted_run()
    {
        using var straight = new TempDir();
        using var split = new TempDir();
        var config = TrainerFixture.Config(straight.Path, lr: 0.01);
        var options = TrainerOptions.FromConfig(config) with { MaxSteps = 25 };
        Trainer.Run(config, new TinyDurationTorchRecipe(), options: options);
        Trainer.Run(TrainerFixture.Config(split.Path, lr: 0.01), new TinyDurationTorchRecipe(), options: options with { MaxSteps = 12 });
        Trainer.Run(Trainer.ReadRunConfig(split.Path), new TinyDurationTorchRecipe(), runDirectory: split.Path, options: options, resume: true);
        var a = Column(straight.Path, "train", "train/loss");
        var b = Column(split.Path, "train", "train/loss");
        Assert.Equal(25, a.Length);
        Assert.Equal(25, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-6);
    }
}
