using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>
/// Draws from softmax(logits) as argmax(logits + g) with Gumbel noise g = −log(−log u): the same distribution
/// as multinomial(softmax(logits), 1), but the noise for many draws is made at once and each draw is two ops
/// (libtorch's multinomial checks its input and builds a distribution on every call, which in WaveRNN's
/// sample-by-sample loop cost more than the network's step).
/// </summary>
public static class GumbelMax
{
    /// <summary>Gumbel(0, 1) noise of the given shape.</summary>
    public static Tensor Noise(long[] shape, Device? device = null) =>
        rand(shape, device: device).log_().neg_().log_().neg_(); // u = 0 gives −∞: never drawn

    /// <summary>Class ids (B, 1) drawn from softmax of <paramref name="logits"/> (B, classes), which it overwrites, using <paramref name="noise"/> (B, classes).</summary>
    public static Tensor Draw(Tensor logits, Tensor noise) => logits.add_(noise).argmax(1, keepdim: true);
}
