using Kit.Models.Signal;
using Kit.Models.Features;
using Kit.Training.Parameters;

namespace Kit.Recipes.Signal;

/// <summary>
/// The signal (WaveRNN) recipes' training defaults, with their sources: fatchord's WaveRNN hparams.py and the
/// WellSaid guide for the full model; values that train within minutes on two CPU cores for the tiny one.
/// </summary>
public static class SignalDefaults
{
    private static readonly Sourced<double> Clip = new(4, "voc_clip_grad_norm 4, fatchord WaveRNN's hparams.py");
    private static readonly Sourced<double> WeightDecay = new(0, "none: fatchord WaveRNN's Adam has no weight decay");

    /// <summary>
    /// The published size on a GPU. fatchord's hparams.py: voc_lr 1e-4 held for the whole run, voc_batch_size 32,
    /// voc_clip_grad_norm 4. The WellSaid guide: wait until dev_epoch/coarse_loss and dev_epoch/fine_loss stop rapidly
    /// decreasing, "typically ... within 18-24 hours of training, or ~150,000 steps".
    /// </summary>
    public static RecipeDefaults Full(string recipe, SignalModelSize size, MelSettings mel) => new RecipeDefaults
    {
        Recipe = recipe,
        TrainingRate = new(1e-4, "voc_lr 1e-4, fatchord WaveRNN's hparams.py"),
        HighestRate = new(1e-4, "fatchord's WaveRNN trains at voc_lr 1e-4"),
        Batch = new(32, "voc_batch_size 32, fatchord WaveRNN's hparams.py (WellSaid: 256 over 8 GPUs)"),
        TotalSteps = new(150_000, "the WellSaid guide: \"~150,000 steps\", or stop when dev_epoch/coarse_loss and fine_loss stop falling"),
        DecayEpochs = new([], "fatchord's WaveRNN holds voc_lr for the whole run"),
        DecayGamma = new(0.5, "halves at LRDecaySteps, if you set them"),
        WarmupSteps = new(0, "fatchord's WaveRNN starts at its full rate"),
        MaxGradNorm = Clip,
        WeightDecay = WeightDecay,
        Fp16 = new(false, "fatchord's WaveRNN trains in fp32"),
        Memory = Memory(recipe, size, mel, FullParameters),
    }.Validate();

    /// <summary>The tiny size on two CPU cores: the rate the main job's demo shows the loss falling at.</summary>
    public static RecipeDefaults Tiny(string recipe, SignalModelSize size, MelSettings mel) => new RecipeDefaults
    {
        Recipe = recipe,
        TrainingRate = new(3e-3, "the main job's demo rate: a network this small learns at Adam's few thousandths within minutes on 2 cores"),
        HighestRate = new(1e-2, "above it the GRU's updates overshoot"),
        Batch = new(32, "voc_batch_size 32, fatchord WaveRNN's hparams.py: the slices are short, so a batch is cheap"),
        TotalSteps = new(6_000, "tens of minutes on 2 cores; stop sooner by hand when the validation loss stops falling"),
        DecayEpochs = new([], "fatchord's WaveRNN holds its rate for the whole run"),
        DecayGamma = new(0.5, "halves at LRDecaySteps, if you set them"),
        WarmupSteps = new(0, "fatchord's WaveRNN starts at its full rate"),
        MaxGradNorm = Clip,
        WeightDecay = WeightDecay,
        Fp16 = new(false, "fp32: on a CPU half precision is mostly slower and changes the numbers"),
        PrintFreq = new(50, "a progress line every few tens of seconds on 2 cores"),
        ValFreq = new(500, "a validation (and a spoken sample) every few minutes on 2 cores"),
        SaveCheckpointFreq = new(500, "with each validation"),
        Memory = Memory(recipe, size, mel, TinyParameters),
    }.Validate();

    /// <summary>Trainable parameters of each size at its recipe's mel bins (RecipeDefaultsTests counts the real model).</summary>
    public const long FullParameters = 4_155_000, TinyParameters = 153_000;

    private static WaveRnnMemoryModel Memory(string recipe, SignalModelSize s, MelSettings mel, long parameters) =>
        new($"the {recipe} WaveRNN", parameters, s.HiddenSize, mel.NMels, s.ConditioningChannels, s.ResidualBlocks, s.SegmentFrames, mel.HopLength);
}
