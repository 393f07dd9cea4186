using Kit.Training.Parameters;
using Kit.TorchExtras;
using Kit.Training.Checkpoints;
using Kit.Training.Metrics;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Torch;
using TorchSharp.Modules;
using static TorchSharp.torch;
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
        var result = Trainer.Run(config, new TinyDurationTorchRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 60 });
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

    [Fact]
    public void A_step_whose_gradients_are_not_finite_makes_no_update_and_every_checkpoint_stays_finite()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 5, valFreq: 5, lr: 0.01);
        var lines = new List<string>();
        // The 10th step, which is saved, gets a term worth 0 whose gradient is infinite (√ at 0), as an exploding step
        // has a finite loss: stepping would save NaN weights, and the rollback that the NaN losses after it bring
        // would return to that same checkpoint, again and again.
        var recipe = new LineFit(() => nn.Sequential(nn.Linear(1, 1)), poisonedCall: 10,
            (net, x) => LineFit.Loss(net, x, x) + (net.parameters().First() - net.parameters().First().detach()).sum().sqrt());
        var result = Trainer.Run(config, recipe, log: lines.Add,
            options: TrainerOptions.FromConfig(config) with { MaxSteps = 15 });

        Assert.Equal(15, result.Step);
        Assert.Single(lines, l => l.StartsWith("step 10: the loss is ") && l.EndsWith("but its gradients are not finite; skipped this batch (1 in a row, 1 in all)"));
        Assert.Equal([1L], MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)).Where(r => r.Kind == "skipped").Select(r => (long)r.Values["nonfinite_total"]));
        Assert.All(Column(dir.Path, "train", "train/loss"), l => Assert.True(double.IsFinite(l), $"a training loss of {l}"));
        var store = new CheckpointStore(dir.Path);
        Assert.Equal([5L, 10L, 15L], store.Steps());
        foreach (var checkpoint in store.ReadableNewestFirst())
            foreach (var (name, weights) in TensorFiles.load(checkpoint.PathOf(CheckpointFiles.InferenceWeights)))
                Assert.True(weights.isfinite().all().item<bool>(), $"step {checkpoint.Step}: {name} holds NaN or inf");
    }

    [Fact]
    public void A_skipped_NaN_batch_leaves_batch_norms_running_statistics_as_they_were()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 5, valFreq: 5, lr: 0.01);
        var recipe = new LineFit(() => nn.Sequential(nn.BatchNorm1d(1), nn.Linear(1, 1)), poisonedCall: 3,
            (net, x) => LineFit.Loss(net, x.index_fill(0, tensor(new long[] { 0 }), float.NaN), x));
        var result = Trainer.Run(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 });

        Assert.Equal(10, result.Step);
        Assert.Single(MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)), r => r.Kind == "skipped");
        // Eval mode normalizes with the running statistics: had the NaN batch stayed in them, validation would be NaN.
        Assert.All(Column(dir.Path, "validation", "dev_epoch/loss"), l => Assert.True(double.IsFinite(l), $"a validation loss of {l}"));
        var weights = TensorFiles.load(new CheckpointStore(dir.Path).FindNewestReadable()!.PathOf(CheckpointFiles.InferenceWeights));
        Assert.True(weights["0.running_var"].isfinite().all().item<bool>(), weights["0.running_var"].ToString(TorchSharp.TensorStringStyle.Julia));
        Assert.Equal(10L, weights["0.num_batches_tracked"].item<long>()); // ten batches trained; the NaN one, skipped, not counted
    }

    /// <summary>
    /// A line fitted to the clips' positions by the network <paramref name="layers"/> make (ending in a Linear(1, 1)).
    /// Training call <paramref name="poisonedCall"/> (counted from 1) takes its loss from <paramref name="poison"/>,
    /// given the network and the clean input.
    /// </summary>
    private sealed class LineFit(Func<Sequential> layers, int poisonedCall, Func<Sequential, Tensor, Tensor> poison) : IRecipe
    {
        public string Name => "line-fit";
        public RecipeDefaults Defaults => new TinyDurationTorchRecipe().Defaults with
        {
            Recipe = Name,
            MaxGradNorm = new(1.0, "a line fit of unit-sized positions"),
        };

        /// <summary>The fit's loss with <paramref name="input"/> fed in for the positions <paramref name="x"/>.</summary>
        public static Tensor Loss(Sequential net, Tensor input, Tensor x) => nn.functional.mse_loss(net.call(input), 2 * x + 1);

        public ITrainable Create(RecipeContext context)
        {
            var device = ComputeDevice.SeedAndPick(context.Seed);
            var net = layers();
            return new Model(context, net, optim.Adam(net.parameters(), 0.01), device, poisonedCall, poison);
        }

        private sealed class Model(RecipeContext context, Sequential net, optim.Optimizer optimizer, Device device,
            int poisonedCall, Func<Sequential, Tensor, Tensor> poison)
            : TorchTrainable(context, net, optimizer, device)
        {
            private int _calls;
            public override IReadOnlyList<double> TrainLengths { get; } = context.Train.Select(_ => 1.0).ToArray();
            protected override int ValidationCount => Context.Validation.Count;

            protected override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool validation)
            {
                var x = tensor(clips.Select(c => c / 10f).ToArray()).unsqueeze(1);
                var loss = !validation && ++_calls == poisonedCall ? poison(net, x) : Loss(net, x, x);
                return new Dictionary<string, Tensor> { ["loss"] = loss };
            }
        }
    }
}
