using Kit.Data.Audio;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Parameters;
using Kit.Training.Recipes.Torch;
using static TorchSharp.torch;

namespace Kit.Training.Recipes.Tiny;

/// <summary>
/// <see cref="TinyDurationRecipe"/>'s task on the tensor engine: a two-layer network with Adam predicts a
/// clip's duration from its text. Small enough for tests and the trainer benchmark on two CPU cores, and it
/// goes through everything a real model recipe does (modules, autograd, optimizer, state-dict checkpoints).
/// </summary>
public sealed class TinyDurationTorchRecipe : IRecipe
{
    public const string RecipeName = "tiny-duration-torch";

    public string Name => RecipeName;

    /// <summary>Hidden units: larger makes each step slower (the benchmark uses this to get a realistic step time).</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>The managed tiny model's values, at Adam's usual few-thousandths rate for a small network.</summary>
    public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults with
    {
        Recipe = RecipeName,
        TrainingRate = new(3e-3, "a small network: Adam's usual few thousandths shows the loss falling within tens of steps"),
        HighestRate = new(1e-2, "above it a tanh network this small starts to oscillate"),
        WeightDecay = new(0, "none: the optimizer is plain Adam"),
        Memory = new FixedMemoryModel("the tiny duration network", (TextFeatures.Count + 1) * Hidden + Hidden + 1, 64),
    };

    public ITrainable Create(RecipeContext context)
    {
        var device = ComputeDevice.SeedAndPick(context.Seed);
        var model = nn.Sequential(nn.Linear(TextFeatures.Count, Hidden), nn.Tanh(), nn.Linear(Hidden, 1));
        if (device.type != DeviceType.CPU) model.to(device);
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
        return new Model(context, model, optimizer, device);
    }

    private sealed class Model : TorchTrainable
    {
        private readonly nn.Module<Tensor, Tensor> _net;
        private readonly (Tensor X, Tensor Y) _train;
        private readonly (Tensor X, Tensor Y) _val;
        private readonly double[] _lengths;

        public Model(RecipeContext context, nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, Device device) : base(context, net, optimizer, device)
        {
            _net = net;
            _lengths = context.Train.Select(e => AudioFile.Probe(e.AudioPath).DurationSeconds).ToArray();
            _train = Table(context.Train.Select(e => TextFeatures.Of(e.TrainingText)).ToArray(), _lengths, device);
            _val = Table(context.Validation.Select(e => TextFeatures.Of(e.TrainingText)).ToArray(),
                context.Validation.Select(e => AudioFile.Probe(e.AudioPath).DurationSeconds).ToArray(), device);
        }

        public override IReadOnlyList<double> TrainLengths => _lengths;

        protected override int ValidationCount => (int)_val.Y.shape[0];

        protected override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool validation)
        {
            var (x, y) = validation ? _val : _train;
            var index = tensor(clips.Select(c => (long)c).ToArray(), device: Device);
            var loss = nn.functional.mse_loss(_net.call(x.index_select(0, index)).squeeze(1), y.index_select(0, index));
            return new Dictionary<string, Tensor> { ["loss"] = loss, ["duration_loss"] = loss };
        }

        public override void Dispose()
        {
            _train.X.Dispose(); _train.Y.Dispose(); _val.X.Dispose(); _val.Y.Dispose();
            base.Dispose();
        }

        private static (Tensor, Tensor) Table(float[][] features, double[] seconds, Device device)
        {
            var flat = features.SelectMany(f => f).ToArray();
            return (tensor(flat, [features.Length, TextFeatures.Count], device: device).DetachFromDisposeScope(),
                    tensor(seconds.Select(s => (float)s).ToArray(), device: device).DetachFromDisposeScope());
        }
    }
}
