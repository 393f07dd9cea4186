using Kit.Models.Spectrogram;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The tiny spectrogram model training on one fixed synthetic batch (seed 0): the step `kit bench models` times
/// against PyTorch and `kit bench memory` repeats while it watches resident memory.
/// </summary>
internal sealed class TinySpectrogramTraining : IDisposable
{
    public const int Batch = 4, Tokens = 40, Frames = 160, Vocabulary = 40, Mels = 80;

    private readonly TacotronModel model;
    private readonly TorchSharp.Modules.Adam optimizer;
    private readonly Tensor tokens, targets;
    private readonly long[] frames = Enumerable.Repeat((long)Frames, Batch).ToArray();
    private readonly long[] lengths = Enumerable.Repeat((long)Tokens, Batch).ToArray();

    public TinySpectrogramTraining()
    {
        manual_seed(0);
        model = new TacotronModel(Vocabulary, Mels, SpectrogramModelSize.Tiny);
        optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-6, weight_decay: 1e-6, amsgrad: true);
        tokens = randint(3, Vocabulary, [Batch, Tokens]).DetachFromDisposeScope();
        targets = randn(Batch, Frames, Mels).DetachFromDisposeScope();
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var prediction = model.call(tokens, targets);
        SpectrogramLosses.Compute(prediction, targets, frames, lengths, SpectrogramModelSize.Tiny.FramesPerStep, 0)["loss"].backward();
        optimizer.step();
    }

    public void Dispose()
    {
        optimizer.Dispose();
        model.Dispose();
        tokens.Dispose();
        targets.Dispose();
    }
}
