using Kit.Models.Spectrogram;
using Kit.Models.Features;
using Kit.Training.Parameters;

namespace Kit.Recipes.Spectrogram;

/// <summary>
/// The spectrogram recipes' training defaults, with their sources: the published Tacotron 2 recipe (NVIDIA's
/// tacotron2 hparams.py) and the WellSaid guide for the full model; the project's own measurements on two CPU
/// cores for the tiny one.
/// </summary>
public static class SpectrogramDefaults
{
    /// <summary>Both sizes: Adam's weight decay as NVIDIA's hparams.py (weight_decay 1e-6) and WellSaid's optimizer.</summary>
    private static readonly Sourced<double> WeightDecay = new(1e-6, "weight_decay 1e-6, as NVIDIA tacotron2's hparams.py and WellSaid's Adam");

    /// <summary>Both sizes: clip the gradients' norm at 1 (NVIDIA tacotron2's grad_clip_thresh 1.0).</summary>
    private static readonly Sourced<double> Clip = new(1.0, "grad_clip_thresh 1.0, as NVIDIA tacotron2's hparams.py (fatchord's tts_clip_grad_norm is 1.0 too)");

    /// <summary>Both CPU sizes: read espeak-ng phonemes, measured against letters on the tiny model.</summary>
    private static readonly Sourced<bool> Phonemes = new(true, "espeak-ng phonemes: on the 600-clip flite voice (kit bench voice --speaker flite) the tiny model reading letters spoke held-out sentences at a word error rate of 95.3% (91.2% at step 12,000), reading phonemes 85.8% at step 12,000; free-running MCD at step 5,000: 2.46 dB with letters, 2.29 with phonemes");

    /// <summary>
    /// The published model on a GPU. NVIDIA's hparams.py: learning_rate 1e-3 held for the whole run (no scheduler in its
    /// train.py), batch_size 64, fp16_run False, iters_per_checkpoint 1000. The WellSaid guide: train until
    /// dev_epoch/post_spectrogram_loss stops decreasing, "typically ... within 72 hours of training, or ~150,000 steps".
    /// </summary>
    public static RecipeDefaults Full(string recipe, SpectrogramModelSize size, MelSettings mel) => new RecipeDefaults
    {
        Recipe = recipe,
        TrainingRate = new(1e-3, "Adam at 1e-3, NVIDIA tacotron2's learning_rate and WellSaid's"),
        HighestRate = new(1e-3, "NVIDIA tacotron2 and WellSaid train from scratch at 1e-3 and no higher"),
        Batch = new(64, "batch_size 64, NVIDIA tacotron2's hparams.py (WellSaid: 56)"),
        TotalSteps = new(150_000, "the WellSaid guide: \"~150,000 steps\", or stop sooner when dev_epoch/post_spectrogram_loss stops falling"),
        DecayEpochs = new([], "NVIDIA tacotron2 holds learning_rate 1e-3 for the whole run"),
        DecayGamma = new(0.5, "halves at LRDecaySteps, if you set them"),
        WarmupSteps = new(0, "NVIDIA tacotron2 starts at its full rate"),
        MaxGradNorm = Clip,
        WeightDecay = WeightDecay,
        Fp16 = new(false, "fp16_run False, NVIDIA tacotron2's hparams.py"),
        Phonemes = new(false, "letters, as NVIDIA tacotron2's hparams.py (text_cleaners english_cleaners)"),
        ValFreq = new(1000, "iters_per_checkpoint 1000, NVIDIA tacotron2's hparams.py (it validates at each checkpoint)"),
        SaveCheckpointFreq = new(1000, "iters_per_checkpoint 1000, NVIDIA tacotron2's hparams.py"),
        Memory = Memory(recipe, size, mel, FullParameters),
    }.Validate();

    /// <summary>
    /// The tiny model on two CPU cores, from the project's measurements on a 600-clip espeak-ng voice (`kit bench voice`,
    /// README): at TrainingRate 2e-3, TrainBS 15 and no decay the free-running alignment was diagonal from step 500 and
    /// the free-running MCD fell for the whole 20 minutes; at 1e-5 (the GPT's rate) 300 steps moved nothing.
    /// </summary>
    public static RecipeDefaults Tiny(string recipe, SpectrogramModelSize size, MelSettings mel) => new RecipeDefaults
    {
        Recipe = recipe,
        TrainingRate = new(2e-3, "the project's measurements on 600 clips (kit bench voice): at 2e-3, TrainBS 15, no decay, the free-running alignment was diagonal from step 500 and its MCD fell from 4.8 to 3.3 dB in 20 minutes on 2 cores; 1e-5 moved nothing in 300 steps"),
        HighestRate = new(3e-3, "the main job's demo trains at 3e-3; nothing higher was measured"),
        Batch = new(16, "the project's measured 16 clips a step on 2 cores"),
        TotalSteps = new(24_000, "about an hour on 2 cores at the measured 6.6 steps/s with validations (AVX-512, oneDNN on); the free-running MCD was still falling at 20 minutes; stop sooner by hand when it stops falling"),
        DecayEpochs = new([], "the measured run aligned without decay"),
        DecayGamma = new(0.5, "halves at LRDecaySteps, if you set them"),
        WarmupSteps = new(0, "the measured run had none"),
        MaxGradNorm = Clip,
        WeightDecay = WeightDecay,
        Fp16 = new(false, "fp32: on a CPU half precision is mostly slower and changes the numbers"),
        Phonemes = Phonemes,
        PrintFreq = new(100, "a progress line about every 15 s on 2 cores"),
        ValFreq = new(500, "a validation (free-running speech and samples) about every 75 s on 2 cores: the MCD curve of a 20-minute run has 16 points"),
        SaveCheckpointFreq = new(500, "with each validation, so the best checkpoint is at most a few minutes old"),
        Memory = Memory(recipe, size, mel, TinyParameters),
    }.Validate();

    /// <summary>
    /// The small model on two CPU cores: the tiny model's rate, batch and clipping (measured there, and on the small model
    /// they trained it as well), run for longer. Measured on the 600-clip flite voice (`kit bench voice --speaker flite`,
    /// one core, 45 minutes, 4,500 steps): free-running MCD 3.59 dB at step 500, 1.87 at 4,000, against 2.02 for the tiny
    /// model's best in the same time.
    /// </summary>
    public static RecipeDefaults Small(string recipe, SpectrogramModelSize size, MelSettings mel) => (Tiny(recipe, size, mel) with
    {
        TrainingRate = new(2e-3, "the tiny model's measured rate; on the flite voice at 2e-3, TrainBS 15, no decay, the small model's free-running MCD fell from 3.59 to 1.87 dB in 45 minutes on one core"),
        HighestRate = new(3e-3, "the tiny model's highest measured rate; nothing higher was measured"),
        Batch = new(16, "the tiny model's measured 16 clips a step"),
        TotalSteps = new(9_000, "about 80 minutes on one core at the measured 1.8 steps/s with validations (less on 2 cores); the free-running MCD was still falling at step 4,500; stop sooner by hand when it stops falling"),
        PrintFreq = new(50, "a progress line about every 30 s on one core"),
        ValFreq = new(500, "a validation (free-running speech and samples) about every 5 minutes on one core"),
        Memory = Memory(recipe, size, mel, SmallParameters),
    }).Validate();

    /// <summary>Trainable parameters of each size with a 40-symbol vocabulary, rounded (RecipeDefaultsTests counts the real model).</summary>
    public const long FullParameters = 28_470_000, SmallParameters = 2_456_000, TinyParameters = 516_000;

    private static TacotronMemoryModel Memory(string recipe, SpectrogramModelSize s, MelSettings mel, long parameters) =>
        new($"the {recipe} Tacotron", parameters, mel.SampleRate, mel.HopLength, mel.NMels, s.FramesPerStep, s.EmbeddingSize,
            s.EncoderConvolutions, s.EncoderLstmSize, s.AttentionSize, s.LocationFilters, s.PreNetSize, s.AttentionLstmSize,
            s.DecoderLstmSize, s.PostNetSize, s.PostNetLayers);
}
