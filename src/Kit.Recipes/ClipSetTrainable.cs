using Kit.Training.Recipes;
using Kit.Training.Recipes.Torch;
using Kit.Models;
using TorchSharp;

namespace Kit.Recipes;

/// <summary>
/// A trainable over two in-memory clip sets (training and validation): the sampler's lengths are the training
/// clips' frame counts, and the sets are disposed with it. The spectrogram and signal recipes build on it.
/// </summary>
public abstract class ClipSetTrainable<TClips>(RecipeContext context, torch.nn.Module model, torch.optim.Optimizer optimizer,
    torch.Device device, TClips train, TClips validation) : TorchTrainable(context, model, optimizer, device)
    where TClips : IClipSet
{
    protected TClips Train { get; } = train;
    protected TClips Validation { get; } = validation;

    public override IReadOnlyList<double> TrainLengths { get; } = train.FrameCounts.Select(f => (double)f).ToArray();

    protected override int ValidationCount => Validation.Count;

    public override void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        base.Dispose();
    }
}
