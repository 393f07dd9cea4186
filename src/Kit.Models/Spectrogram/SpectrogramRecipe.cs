using Kit.Models.Features;
using Kit.Models.Text;
using Kit.Models.Training;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Torch;
using static TorchSharp.torch;

namespace Kit.Models.Spectrogram;

/// <summary>
/// Trains the Tacotron-2-style spectrogram model: text from the dataset's (normalized) transcripts, targets
/// the clips' log-mel frames (cached on disk under the run folder), Adam as WellSaid trained it (eps 1e-6,
/// weight decay 1e-6, amsgrad). Validation writes, for the first validation clip, <see cref="SpectrogramSamples"/>
/// under samples/: the attention alignment, target and predicted spectrograms, Griffin-Lim audio.
/// </summary>
public abstract class SpectrogramRecipe : IRecipe
{
    public abstract string Name { get; }
    public abstract SpectrogramModelSize Size { get; }
    public abstract MelSettings Mel { get; }
    public abstract RecipeDefaults Defaults { get; }
    /// <summary>Read phonemes (espeak-ng) instead of letters.</summary>
    public bool Phonemes { get; init; }

    public ITrainable Create(RecipeContext context)
    {
        var device = ComputeDevice.SeedAndPick(context);
        var phonemizer = Phonemes ? new Phonemizer(Path.Combine(context.RunDirectory, "cache", "phonemes.tsv")) : null;
        var frontEnd = TextFrontEnd.FromTrainingText(context.Train.Select(e => e.TrainingText), phonemizer);
        var config = new SpectrogramModelConfig { Size = Size, Mel = Mel, Vocabulary = frontEnd.Vocabulary.Serialize(), Phonemes = Phonemes };
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
            var prediction = model.forward(tokens, targets);
            return SpectrogramLosses.Compute(prediction, targets, frames, tokenLengths, model.Size.FramesPerStep, model.Size.GuidedAttentionWeight);
        }

        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            if (Validation.Count == 0) return [];
            model.eval();
            try
            {
                using var _ = no_grad();
                using var scope = NewDisposeScope();
                var (tokens, targets, frames, tokenLengths) = Validation.Batch([0], Device);
                var p = model.forward(tokens, targets);
                var steps = (frames[0] + model.Size.FramesPerStep - 1) / model.Size.FramesPerStep;
                var alignment = p.Alignments[0].slice(0, 0, steps, 1).slice(1, 0, tokenLengths[0], 1).t().contiguous().cpu();
                Tensor Mel(Tensor frames0) => frames0.slice(0, 0, frames[0], 1).t().contiguous().cpu();
                return SpectrogramSamples.Make(alignment, Mel(targets[0]), Mel(p.PostFrames[0]), mel, step);
            }
            finally { model.train(); }
        }
    }
}

/// <summary>The spectrogram model small enough to train on two CPU cores in minutes (22,050 Hz, 80 mel bins).</summary>
public sealed class TinySpectrogramRecipe : SpectrogramRecipe
{
    public const string RecipeName = "spectrogram-tiny";
    public override string Name => RecipeName;
    public override SpectrogramModelSize Size => SpectrogramModelSize.Tiny;
    public override MelSettings Mel { get; } = new() { SampleRate = 22050, NFft = 1024, HopLength = 256, WinLength = 1024, NMels = 80, FMax = 8000 };
    public override RecipeDefaults Defaults => SpectrogramDefaults.Tiny(Name, Size, Mel);
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
