using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Spectrogram;

/// <summary>The spectrogram model's loss terms, named as the WellSaid guide watches them.</summary>
public static class SpectrogramLosses
{
    /// <param name="frameLengths">Real frames per clip; frames past them are padding and count nowhere.</param>
    /// <param name="tokenLengths">Real tokens per clip (with the end token), for the guided-attention term.</param>
    public static Dictionary<string, Tensor> Compute(SpectrogramPrediction p, Tensor targets, long[] frameLengths, long[] tokenLengths,
        int framesPerStep, double guidedAttentionWeight)
    {
        long b = targets.shape[0], t = targets.shape[1], mels = targets.shape[2], steps = p.StopLogits.shape[1];
        var device = targets.device;
        var frameMask = arange(t, device: device).unsqueeze(0).lt(tensor(frameLengths, device: device).unsqueeze(1)).to(float32); // (1, T) < (B, 1): (B, T)
        var denominator = frameMask.sum() * mels;
        Tensor Mse(Tensor predicted) => ((predicted - targets).square() * frameMask.unsqueeze(2)).sum() / denominator; // mask (B, T) -> (B, T, 1)
        var pre = Mse(p.PreFrames);
        var post = Mse(p.PostFrames);
        // Stop target: 1 from the step holding a clip's last real frame on (padding steps included, so it learns to stay stopped).
        var lastStep = tensor(frameLengths.Select(n => (n - 1) / framesPerStep).ToArray(), device: device).unsqueeze(1); // (B) -> (B, 1)
        var stopTarget = arange(steps, device: device).unsqueeze(0).ge(lastStep).to(float32); // (steps) -> (1, steps); against (B, 1): (B, steps)
        var stop = nn.functional.binary_cross_entropy_with_logits(p.StopLogits, stopTarget);
        var terms = new Dictionary<string, Tensor>
        {
            ["pre_spectrogram_loss"] = pre, ["post_spectrogram_loss"] = post, ["stop_token_loss"] = stop,
        };
        var total = pre + post + stop;
        if (guidedAttentionWeight > 0)
        {
            var guided = GuidedAttention(p.Alignments, frameLengths, tokenLengths, framesPerStep);
            terms["attention_loss"] = guided;
            total = total + guided * guidedAttentionWeight;
        }
        terms["loss"] = total;
        return terms;
    }

    /// <summary>
    /// Attention mass weighted by 1 - exp(-(n/N - s/S)² / 2g²), g = 0.2, over each clip's real steps and tokens,
    /// averaged per decoder step (each step's weights sum to one, so the term is between 0 and 1).
    /// </summary>
    private static Tensor GuidedAttention(Tensor alignments, long[] frameLengths, long[] tokenLengths, int framesPerStep)
    {
        long b = alignments.shape[0], steps = alignments.shape[1], tokens = alignments.shape[2];
        var device = alignments.device;
        var stepCounts = tensor(frameLengths.Select(n => (float)((n + framesPerStep - 1) / framesPerStep)).ToArray(), device: device).view(b, 1, 1); // (B) -> (B, 1, 1)
        var tokenCounts = tensor(tokenLengths.Select(n => (float)n).ToArray(), device: device).view(b, 1, 1); // (B) -> (B, 1, 1)
        var s = arange(steps, dtype: float32, device: device).view(1, steps, 1); // (S) -> (1, S, 1)
        var n = arange(tokens, dtype: float32, device: device).view(1, 1, tokens); // (N) -> (1, 1, N)
        var penalty = 1.0 - (-(n / tokenCounts - s / stepCounts).square() / (2 * 0.2 * 0.2)).exp();
        var valid = s.lt(stepCounts).logical_and(n.lt(tokenCounts)).to(float32);
        var realSteps = frameLengths.Sum(f => (f + framesPerStep - 1) / framesPerStep);
        return (alignments * penalty * valid).sum() / realSteps;
    }
}
