using Kit.Models;
using Kit.Models.Spectrogram;
using Kit.Models.Features;
using Kit.Models.Metrics;
using Kit.Models.Synthesis;
using Kit.Models.Text;
using Kit.Recipes;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Parameters;
using Kit.Training.Metrics;
using Kit.Training.Recipes;
using static TorchSharp.torch;

namespace Kit.Recipes.Spectrogram;

/// <summary>
/// Trains the Tacotron-2-style spectrogram model: text from the dataset's (normalized) transcripts, targets
/// the clips' log-mel frames (cached on disk under the run folder), Adam as WellSaid trained it (eps 1e-6,
/// weight decay 1e-6, amsgrad). Validation writes, for the first validation clip, <see cref="SpectrogramSamples"/>
/// under samples/: the attention alignment, target and predicted spectrograms, Griffin-Lim audio, teacher-forced
/// and spoken on its own. Free-running validation speaks up to <c>free_running_texts</c> validation lines without
/// teacher forcing and measures them against the real clips (dev_free/...): the best checkpoint follows their
/// MCD-DTW by default, since the teacher-forced loss goes on falling while free-running speech is babble.
/// </summary>
public abstract class SpectrogramRecipe : IRecipe
{
    public abstract string Name { get; }
    public abstract SpectrogramModelSize Size { get; }
    public abstract MelSettings Mel { get; }
    public abstract RecipeDefaults Defaults { get; }

    /// <summary>What a listener hears: the free-running MCD-DTW against the real clips.</summary>
    public string BestMetric => MetricNames.FreeRunning(FreeRunningMetrics.McdSlDb);

    public ITrainable Create(RecipeContext context)
    {
        var device = ComputeDevice.SeedAndPick(context.Seed);
        // One rule for the text front end: the trainer settles it before any recipe is created (Trainer.TextChoice).
        var phonemes = context.Config.Phonemes
            ?? throw new InvalidOperationException($"{Name}: model.phonemes was not settled; create recipes through the trainer (Trainer.TextChoice)");
        var phonemizer = phonemes ? new Phonemizer(Path.Combine(context.RunDirectory, "cache", "phonemes.tsv")) : null;
        var frontEnd = TextFrontEnd.FromTrainingText(context.Train.Select(e => e.TrainingText), phonemizer);
        var config = new SpectrogramModelConfig { Size = Size, Mel = Mel, Vocabulary = frontEnd.Vocabulary.Serialize(), Phonemes = phonemes };
        var model = new TacotronModel(frontEnd.Vocabulary.Count, Mel.NMels, Size);
        model.register_buffer(ModelConfig.Key, ModelConfig.ToTensor(config).DetachFromDisposeScope());
        if (device.type != DeviceType.CPU) model.to(device);
        var optimizer = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-6, weight_decay: Defaults.WeightDecay.Value, amsgrad: true);
        using var features = new FeatureCache(Mel, Path.Combine(context.RunDirectory, "cache", "features"));
        context.Log($"spectrogram model: computing log-mel features of {context.Train.Count + context.Validation.Count} clips (cached)");
        var train = new SpectrogramClips(context.Train, frontEnd, features, Size.FramesPerStep);
        var validation = new SpectrogramClips(context.Validation, frontEnd, features, Size.FramesPerStep);
        return new Trainable(context, model, optimizer, device, train, validation, Mel);
    }

    private sealed class Trainable(RecipeContext context, TacotronModel model, optim.Optimizer optimizer, Device device,
        SpectrogramClips train, SpectrogramClips validation, MelSettings mel)
        : ClipSetTrainable<SpectrogramClips>(context, model, optimizer, device, train, validation), ITrainable
    {
        protected override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool validating)
        {
            var data = validating ? Validation : Train;
            var (tokens, targets, frames, tokenLengths) = data.Batch(clips, Device);
            var prediction = model.call(tokens, targets);
            return SpectrogramLosses.Compute(prediction, targets, frames, tokenLengths, model.Size.FramesPerStep, model.Size.GuidedAttentionWeight);
        }

        /// <summary>The first validation line as the last free-running pass spoke it, kept for <see cref="Samples"/>.</summary>
        private FreeRunningSpeech? _firstSpoken;

        /// <summary>One line spoken on its own, measured against its real clip.</summary>
        private sealed record SpokenLine(double Mcd, AlignmentStats Alignment, double LengthRatio, bool StopFired);

        public IReadOnlyDictionary<string, double> FreeRunning(int batchSize)
        {
            var count = Math.Min(Validation.Count, Context.Config.FreeRunningTexts);
            if (count == 0) return new Dictionary<string, double>();
            var lines = Speak(Enumerable.Range(0, count).ToArray(), batchSize);
            return new Dictionary<string, double>
            {
                [FreeRunningMetrics.McdDb] = lines.Average(l => l.Mcd),
                [FreeRunningMetrics.McdSlDb] = lines.Average(l => l.Mcd * Math.Max(l.LengthRatio, 1 / l.LengthRatio)),
                [FreeRunningMetrics.BandMass] = lines.Average(l => l.Alignment.BandMass),
                [FreeRunningMetrics.Monotonic] = lines.Average(l => l.Alignment.Monotonic),
                [FreeRunningMetrics.SkippedTokens] = lines.Average(l => l.Alignment.SkippedTokens),
                [FreeRunningMetrics.MaxJump] = lines.Average(l => l.Alignment.MaxJump),
                [FreeRunningMetrics.LengthRatio] = lines.Average(l => l.LengthRatio),
                [FreeRunningMetrics.StopFired] = lines.Average(l => l.StopFired ? 1.0 : 0.0),
            };
        }

        /// <summary>
        /// Speaks validation lines without teacher forcing (batched, lines of similar length together) and measures
        /// each against its clip. The first line's speech is kept for the samples.
        /// </summary>
        private SpokenLine[] Speak(int[] clips, int batchSize)
        {
            var lines = new SpokenLine[clips.Length];
            var r = model.Size.FramesPerStep;
            model.eval();
            try
            {
                using var _ = no_grad();
                // The pre-net's dropout stays on at inference: the same draws at every validation, so the curve
                // shows the model changing rather than the dice (training reseeds at every step).
                manual_seed(Context.Seed);
                var order = Enumerable.Range(0, clips.Length).OrderBy(i => Validation.FrameCounts[clips[i]]).ToArray();
                foreach (var chunk in order.Chunk(Math.Max(1, batchSize)))
                {
                    using var scope = NewDisposeScope();
                    var (tokens, targets, frames, tokenLengths) = Validation.Batch(chunk.Select(i => clips[i]).ToArray(), Device);
                    SpectrogramPrediction p;
                    long[] spoken;
                    using (Autocast()) (p, spoken) = model.Infer(tokens);
                    var stops = p.StopLogits.to(ScalarType.Float32).sigmoid().cpu();
                    for (var j = 0; j < chunk.Length; j++)
                    {
                        var steps = spoken[j] / r;
                        var mel = p.PostFrames[j].slice(0, 0, spoken[j], 1).t().to(ScalarType.Float32).contiguous().cpu();
                        var real = targets[j].slice(0, 0, frames[j], 1).t().cpu();
                        var alignment = SpectrogramSynthesizer.ToArray(p.Alignments[j].slice(0, 0, steps, 1).slice(1, 0, tokenLengths[j], 1).to(ScalarType.Float32));
                        // Infer ends a line at the step its stop token fired, or at the frame limit.
                        var fired = stops[j, steps - 1].item<float>() > 0.5f;
                        lines[chunk[j]] = new SpokenLine(MelCepstralDistortion.Between(mel, real), AlignmentStats.Of(alignment), (double)spoken[j] / frames[j], fired);
                        if (clips[chunk[j]] != 0) continue;
                        _firstSpoken?.Dispose();
                        _firstSpoken = new FreeRunningSpeech(scope.MoveToOuter(mel), alignment);
                    }
                }
            }
            finally { model.train(); }
            return lines;
        }

        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            if (Validation.Count == 0) return [];
            if (_firstSpoken is null) Speak([0], 1);
            var free = _firstSpoken;
            _firstSpoken = null;
            model.eval();
            try
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var (tokens, targets, frames, tokenLengths) = Validation.Batch([0], Device);
                var p = model.call(tokens, targets);
                var steps = (frames[0] + model.Size.FramesPerStep - 1) / model.Size.FramesPerStep;
                var alignment = p.Alignments[0].slice(0, 0, steps, 1).slice(1, 0, tokenLengths[0], 1).t().contiguous().cpu();
                Tensor Mel(Tensor frames0) => frames0.slice(0, 0, frames[0], 1).t().contiguous().cpu();
                return SpectrogramSamples.Make(alignment, Mel(targets[0]), Mel(p.PostFrames[0]), mel, step, free);
            }
            finally
            {
                free?.Dispose();
                model.train();
            }
        }

        public override void Dispose()
        {
            _firstSpoken?.Dispose();
            base.Dispose();
        }
    }
}

/// <summary>The spectrogram model small enough to train on two CPU cores in minutes (22,050 Hz, 80 mel bins).</summary>
public sealed class TinySpectrogramRecipe : SpectrogramRecipe
{
    public const string RecipeName = "spectrogram-tiny";
    public override string Name => RecipeName;
    public override SpectrogramModelSize Size => SpectrogramModelSize.Tiny;
    public override MelSettings Mel => MelSettings.Tiny;
    public override RecipeDefaults Defaults => SpectrogramDefaults.Tiny(Name, Size, Mel);
}

/// <summary>The spectrogram model that learns a voice on two CPU cores in about an hour (22,050 Hz, 80 mel bins, phonemes).</summary>
public sealed class SmallSpectrogramRecipe : SpectrogramRecipe
{
    public const string RecipeName = "spectrogram-small";
    public override string Name => RecipeName;
    public override SpectrogramModelSize Size => SpectrogramModelSize.Small;
    public override MelSettings Mel => MelSettings.Tiny;
    public override RecipeDefaults Defaults => SpectrogramDefaults.Small(Name, Size, Mel);
}

/// <summary>The published WellSaid spectrogram model and audio settings, for a GPU.</summary>
public sealed class FullSpectrogramRecipe : SpectrogramRecipe
{
    public const string RecipeName = "spectrogram-full";
    public override string Name => RecipeName;
    public override SpectrogramModelSize Size => SpectrogramModelSize.Full;
    public override MelSettings Mel => MelSettings.WellSaid;
    public override RecipeDefaults Defaults => SpectrogramDefaults.Full(Name, Size, Mel);
}
