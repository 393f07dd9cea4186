using Kit.Models;
using Kit.Training.Checkpoints;
using Kit.Recipes.Spectrogram;
using Kit.Models.Signal;
using Kit.Data.Audio;
using Kit.Data.Datasets;
using Kit.Models.Features;
using Kit.Models.Metrics;
using Kit.Models.Spectrogram;
using Kit.Models.Synthesis;
using Kit.Recipes;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Parameters;
using Kit.Training.Metrics;
using Kit.Training.Recipes;
using static TorchSharp.torch;

namespace Kit.Recipes.Signal;

/// <summary>
/// Trains the WaveRNN signal model on short slices of each clip, conditioned on the clips' log-mel frames
/// (cached on disk under the run folder) or, when the run config names a spectrogram checkpoint
/// (<c>kit train --spectrogram-model-checkpoint</c>), on that model's teacher-forced frames, as the WellSaid
/// guide trains it. Losses: <c>coarse_loss</c> and <c>fine_loss</c>, the cross-entropies of the two bytes. At each
/// validation it speaks the first validation clip's opening seconds from their frames (the samples) and measures
/// that audio against the real clip (dev_free/mcd_db), which the best checkpoint follows by default.
/// </summary>
public abstract class SignalRecipe : IRecipe
{
    public abstract string Name { get; }
    public abstract SignalModelSize Size { get; }
    /// <summary>Mel settings without a spectrogram checkpoint (with one, the checkpoint's own are used).</summary>
    public abstract MelSettings Mel { get; }
    public abstract RecipeDefaults Defaults { get; }

    /// <summary>What a listener hears: the MCD-DTW of the generated audio against the real clip.</summary>
    public string BestMetric => MetricNames.FreeRunning(FreeRunningMetrics.McdDb);

    public ITrainable Create(RecipeContext context)
    {
        var device = ComputeDevice.SeedAndPick(context.Seed);
        var mel = Mel;
        TeacherForcedMels? teacher = null;
        if (context.Config.SpectrogramModelCheckpoint is { } checkpoint)
        {
            string file;
            try { file = CheckpointPaths.Weights(checkpoint); }
            catch (FileNotFoundException e) { throw new FileNotFoundException($"spectrogram model checkpoint: {e.Message}", checkpoint, e); }
            teacher = TeacherForcedMels.Open(file, Path.Combine(context.RunDirectory, "cache", "teacher-forced"));
            mel = teacher.Mel;
            context.Log($"signal model: conditioned on teacher-forced frames of {teacher.WeightsFile}");
        }
        try
        {
            using var features = new FeatureCache(mel, Path.Combine(context.RunDirectory, "cache", "features"));
            context.Log($"signal model: log-mel features of {context.Train.Count + context.Validation.Count} clips (cached)");
            var pad = Math.Log(mel.LogFloor);
            var train = Clips(context.Train, features, teacher, pad);
            var validation = Clips(context.Validation, features, teacher, pad);
            var config = new SignalModelConfig { Size = Size, Mel = mel, SpectrogramCheckpoint = teacher?.WeightsFile };
            var model = new WaveRnnModel(mel.NMels, mel.HopLength, pad, Size);
            model.register_buffer(ModelConfig.Key, ModelConfig.ToTensor(config).DetachFromDisposeScope());
            if (device.type != DeviceType.CPU) model.to(device);
            var optimizer = optim.Adam(model.parameters(), lr: 1e-3, weight_decay: Defaults.WeightDecay.Value);
            return new Trainable(context, model, optimizer, device, train, validation, config);
        }
        finally { teacher?.Dispose(); }
    }

    private SignalClips Clips(IReadOnlyList<DatasetEntry> entries, FeatureCache features, TeacherForcedMels? teacher, double pad)
    {
        var mels = new List<Tensor>();
        var signals = new List<Tensor>();
        try
        {
            foreach (var e in entries)
            {
                var (real, signal) = features.Get(e.AudioPath);
                mels.Add((teacher is null ? real : teacher.Get(e, real)).DetachFromDisposeScope());
                signals.Add(signal.DetachFromDisposeScope());
            }
            return new SignalClips(mels, signals, features.Settings.HopLength, Size.SegmentFrames, pad);
        }
        finally
        {
            foreach (var t in mels.Concat(signals)) t.Dispose();
        }
    }

    private sealed class Trainable(RecipeContext context, WaveRnnModel model, optim.Optimizer optimizer, Device device,
        SignalClips train, SignalClips validation, SignalModelConfig config)
        : ClipSetTrainable<SignalClips>(context, model, optimizer, device, train, validation), ITrainable
    {
        /// <summary>Seconds of the first validation clip spoken at each validation (generation is sample by sample).</summary>
        private const double SampleSeconds = 2;

        protected override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool validating)
        {
            var b = (validating ? Validation : Train).Batch(clips, random: !validating, Device);
            var p = model.call(b.Mel, b.PreviousCoarse, b.PreviousFine, b.Coarse);
            return SignalLosses.Compute(p, b.Coarse, b.Fine);
        }

        /// <summary>The audio the last free-running pass generated, kept for <see cref="Samples"/>.</summary>
        private (float[] Spoken, float[] Real)? _spoken;

        /// <summary>MCD-DTW between the generated opening seconds of the first validation clip and the real ones.</summary>
        public IReadOnlyDictionary<string, double> FreeRunning(int batchSize)
        {
            if (Validation.Count == 0 || Context.Config.FreeRunningTexts == 0) return new Dictionary<string, double>();
            var (spoken, real) = (_spoken = Speak()).Value;
            using var scope = NewDisposeScope();
            using var mels = new LogMelSpectrogram(config.Mel);
            return new Dictionary<string, double>
            {
                [FreeRunningMetrics.McdDb] = MelCepstralDistortion.Between(mels.Compute(tensor(spoken)), mels.Compute(tensor(real))),
            };
        }

        /// <summary>The first validation clip's opening seconds as the model speaks them from its frames, and the real audio.</summary>
        private (float[] Spoken, float[] Real) Speak()
        {
            model.eval();
            try
            {
                using var scope = NewDisposeScope();
                var mel = config.Mel;
                var (frames, real) = Validation.Clip(0, (long)(SampleSeconds * mel.SampleRate / mel.HopLength));
                using var synthesizer = new SignalSynthesizer(model, config, Device, ownsModel: false);
                return (synthesizer.Synthesize([frames])[0], real.data<float>().ToArray());
            }
            finally { model.train(); }
        }

        /// <summary>The first validation clip's opening seconds as the model speaks them from its frames, beside the real audio.</summary>
        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            if (Validation.Count == 0) return [];
            var (spoken, real) = _spoken ?? Speak();
            _spoken = null;
            byte[] Wav(float[] samples) => WavWriter.ToBytes(new AudioClip(samples, config.Mel.SampleRate), WavFormat.Pcm16);
            return [new TrainingSample("wavernn.wav", Wav(spoken)), new TrainingSample("real.wav", Wav(real))];
        }
    }
}

/// <summary>The signal model small enough to train on two CPU cores in about a minute; the tiny spectrogram model's audio settings.</summary>
public sealed class TinySignalRecipe : SignalRecipe
{
    public const string RecipeName = "signal-tiny";
    public override string Name => RecipeName;
    public override SignalModelSize Size => SignalModelSize.Tiny;
    public override MelSettings Mel => MelSettings.Tiny;
    public override RecipeDefaults Defaults => SignalDefaults.Tiny(Name, Size, Mel);
}

/// <summary>The published WellSaid signal model size (a GRU of 896) and audio settings, for a GPU.</summary>
public sealed class FullSignalRecipe : SignalRecipe
{
    public const string RecipeName = "signal-full";
    public override string Name => RecipeName;
    public override SignalModelSize Size => SignalModelSize.Full;
    public override MelSettings Mel => MelSettings.WellSaid;
    public override RecipeDefaults Defaults => SignalDefaults.Full(Name, Size, Mel);
}
