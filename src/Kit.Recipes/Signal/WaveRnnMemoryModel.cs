using Kit.Training.Parameters;

namespace Kit.Recipes.Signal;

/// <summary>
/// A pessimistic estimate of training memory for the WaveRNN signal model, used to bound the batch. WaveRNN trains
/// on fixed slices (SegmentFrames × hop samples), so a clip's cost does not depend on how long the clip is.
///
/// Fixed cost: fp32 weights + gradients + Adam's two moments = 16 bytes per parameter, plus 1.5 GB for the CUDA
/// context and the allocator's fragmentation (as <see cref="GptMemoryModel"/>). Per clip, 4 bytes per value kept
/// for the backward pass, per audio sample of the slice: the GRU's three gates, their pre-activations and the
/// hidden state (7 × Hidden), the upsampled conditioning (mels + conditioning channels) with its interpolation
/// (2 × each), the two halves' hidden layers (2 × Hidden / 2, with their ReLU) and the coarse and fine logits
/// with softmax and gradient (2 × 256 × 3); plus per mel frame the conditioning network's residual blocks
/// (4 × ConditioningChannels each). For scale: fatchord's WaveRNN (hparams.py: voc_batch_size 32 of 1,375-sample
/// slices, voc_rnn_dims 512), which trains at about 3 steps/s on an 8 GB GTX 1080, comes to about 1.1 GB of
/// activations here; the published WellSaid size (GRU 896, 1,800-sample slices) to about 66 MB per clip.
/// </summary>
public sealed record WaveRnnMemoryModel(string Name, long Parameters, int Hidden, int Mels, int ConditioningChannels,
    int ResidualBlocks, int SegmentFrames, int HopLength) : IMemoryModel
{
    public string Description => $"{Name}, {Parameters / 1e6:0.00} M parameters";

    public long FixedBytes => Parameters * 16 + GptMemoryModel.RuntimeOverheadBytes;

    public long BytesPerSample(double longestSeconds, int longestText, bool fp16)
    {
        double samples = (double)SegmentFrames * HopLength;
        var perSample = 7.0 * Hidden + 2.0 * (Mels + ConditioningChannels) + Hidden + 2 * 256 * 3;
        var perFrame = 4.0 * ConditioningChannels * Math.Max(1, ResidualBlocks);
        var total = 4 * (samples * perSample + SegmentFrames * perFrame);
        return (long)(fp16 ? total / 2 : total);
    }
}
