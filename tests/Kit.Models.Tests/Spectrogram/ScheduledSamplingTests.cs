using Kit.Models.Spectrogram;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Spectrogram;

/// <summary>
/// Scheduled sampling decides what the decoder's pre-net reads while training: with every step sampled the
/// teacher-forced pass never reads the real frames (two different targets give the same prediction), with none
/// it reads them all, and validation (eval mode) always reads them.
/// </summary>
public sealed class ScheduledSamplingTests
{
    private static readonly SpectrogramModelSize Size = new()
    {
        EmbeddingSize = 16, EncoderLstmSize = 8, AttentionSize = 8, LocationFilters = 4, LocationKernel = 5, PreNetSize = 8,
        AttentionLstmSize = 16, DecoderLstmSize = 16, PostNetSize = 8, PostNetLayers = 3, FramesPerStep = 2, ConvolutionDropout = 0,
    };

    [Theory]
    [InlineData(1.0, true, false)]
    [InlineData(0.0, true, true)]
    [InlineData(1.0, false, true)]
    public void The_decoder_reads_the_real_frames_only_where_it_is_not_sampling(double sampling, bool training, bool readsTargets)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new TacotronModel(20, 10, Size with { ScheduledSampling = sampling });
        model.train(training);
        var tokens = randint(1, 20, [2, 7], dtype: int64);
        var first = randn(2, 12, 10);
        var second = randn(2, 12, 10);
        Tensor Predict(Tensor targets)
        {
            manual_seed(11); // the pre-net's dropout and the sampling draw the same numbers for both targets
            using var _ = no_grad();
            return model.call(tokens, targets).PostFrames;
        }
        var difference = (Predict(first) - Predict(second)).abs().max().item<float>();
        Assert.True(readsTargets ? difference > 1e-3 : difference == 0, $"largest difference between the two targets' predictions: {difference}");
    }
}
