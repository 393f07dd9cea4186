namespace Kit.Models.Spectrogram;

/// <summary>
/// The spectrogram model's layer sizes. <see cref="Full"/> are the published WellSaid/Tacotron 2 sizes (for a
/// GPU); <see cref="Small"/> learns a voice on two CPU cores in an hour; <see cref="Tiny"/> trains on them in minutes
/// (tests, the demo, the main job).
/// </summary>
public sealed record SpectrogramModelSize
{
    public int EmbeddingSize { get; init; } = 512;
    public int EncoderConvolutions { get; init; } = 3;
    public int ConvolutionKernel { get; init; } = 5;
    public double ConvolutionDropout { get; init; } = 0.5;
    /// <summary>Hidden units of each direction of the encoder's bidirectional LSTM (outputs are twice this).</summary>
    public int EncoderLstmSize { get; init; } = 256;
    public int AttentionSize { get; init; } = 128;
    public int LocationFilters { get; init; } = 32;
    public int LocationKernel { get; init; } = 31;
    public int PreNetSize { get; init; } = 256;
    public double PreNetDropout { get; init; } = 0.5;
    public int AttentionLstmSize { get; init; } = 1024;
    public int DecoderLstmSize { get; init; } = 1024;
    public int PostNetSize { get; init; } = 512;
    public int PostNetLayers { get; init; } = 5;
    /// <summary>Frames the decoder emits per step (Tacotron's reduction factor; the published model uses 1).</summary>
    public int FramesPerStep { get; init; } = 1;
    /// <summary>Inference stops at this many frames per input token if the stop token never fires.</summary>
    public int MaxFramesPerToken { get; init; } = 15;
    /// <summary>
    /// Weight of a guided-attention term (attention far from the diagonal costs more): the kit's addition,
    /// it makes the attention align within minutes instead of hours. 0 turns it off.
    /// </summary>
    public double GuidedAttentionWeight { get; init; } = 1.0;
    /// <summary>
    /// Dropout on the attention and decoder LSTMs' outputs while training (NVIDIA tacotron2's p_attention_dropout and
    /// p_decoder_dropout, 0.1): the decoder cannot lean on its own exact history, which teacher forcing makes easy.
    /// </summary>
    public double DecoderStateDropout { get; init; } = 0.1;
    /// <summary>
    /// The post-net's loss trains the decoder too, as in NVIDIA tacotron2; false feeds the post-net detached frames,
    /// so only the pre-net-frame loss shapes the decoder.
    /// </summary>
    public bool PostNetTrainsDecoder { get; init; } = true;
    /// <summary>
    /// Scheduled sampling (Bengio et al. 2015): the share of decoder steps, while training, whose pre-net reads the
    /// model's own last frame (detached) instead of the real one, so training meets the errors free-running
    /// synthesis feeds back to itself. 0 (NVIDIA tacotron2's choice) always reads the real frame.
    /// </summary>
    public double ScheduledSampling { get; init; }

    public static SpectrogramModelSize Full { get; } = new();

    public static SpectrogramModelSize Tiny { get; } = new()
    {
        EmbeddingSize = 64, EncoderConvolutions = 2, EncoderLstmSize = 32, AttentionSize = 32, LocationFilters = 8,
        LocationKernel = 15, PreNetSize = 64, AttentionLstmSize = 128, DecoderLstmSize = 128, PostNetSize = 64,
        PostNetLayers = 3, FramesPerStep = 4, ConvolutionDropout = 0.1, GuidedAttentionWeight = 5,
        // Measured side by side on the 600-clip `kit bench voice` voice, 22 minutes on one core each: without the
        // decoder-state dropout and with the post-net on detached frames the free-running MCD reached 3.31 dB at
        // step 5,500, against 3.52 dB with NVIDIA's two choices (whose teacher-forced loss was lower: 1.06 vs 1.37).
        DecoderStateDropout = 0, PostNetTrainsDecoder = false,
    };

    /// <summary>
    /// Four times the tiny model's widths where the text is read and spoken (encoder, pre-net, attention and decoder
    /// LSTMs), 2.5 M parameters: measured side by side with the tiny model on the 600-clip flite voice (`kit bench voice`,
    /// one core each, 45 minutes), it reached a lower free-running MCD in a third of the steps and the lowest word error
    /// rate on training sentences (README). Scheduled sampling 0.4, measured on the same voice: from scratch a lower
    /// free-running MCD at every validation (2.01 against 2.21 dB at step 1,500), and resumed from step 4,000 the lowest
    /// MCD of any run (1.78 dB at 6,500) and training sentences the recognizer hears better (WER 72 → 61 %), where the
    /// same steps without it stayed at 1.95 dB and 72 %.
    /// </summary>
    public static SpectrogramModelSize Small { get; } = Tiny with
    {
        EmbeddingSize = 128, EncoderLstmSize = 128, AttentionSize = 64, LocationFilters = 16, PreNetSize = 128,
        AttentionLstmSize = 256, DecoderLstmSize = 256, PostNetSize = 128, PostNetLayers = 5, ScheduledSampling = 0.4,
    };
}
