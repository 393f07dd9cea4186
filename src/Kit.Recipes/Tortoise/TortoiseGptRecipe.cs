using Kit.Tortoise.Training;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Tortoise.Audio;
using Kit.Tortoise.Dvae;
using Kit.Tortoise.Model;
using Kit.Tortoise.Text;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Torch;
using static TorchSharp.torch;

namespace Kit.Recipes.Tortoise;

/// <summary>
/// Fine-tunes TorToiSe's GPT as DLAS's EXAMPLE_gpt.yml does: loss = 0.01 · loss_text_ce + 1 · loss_mel_ce,
/// AdamW (lr from the run config, 1e-5 by the parameter calculation; betas 0.9/0.96; the weight decay of its
/// <see cref="Defaults"/>, 1e-2). The trainer applies MultiStepLR at LRDecaySteps and clips the gradients, both as
/// <see cref="Defaults"/> say (gamma 0.5, norm 4). Checkpoints' model.pth is the GPT's plain state dict (TorToiSe's names), what
/// tortoise-tts-fast loads with --ar-checkpoint.
/// </summary>
public abstract class TortoiseGptRecipe : IRecipe
{
    public const double TextLossWeight = 0.01, MelLossWeight = 1.0, Beta1 = 0.9, Beta2 = 0.96;

    public abstract string Name { get; }
    public abstract RecipeDefaults Defaults { get; }

    /// <summary>The GPT's size; the recipe (its name in run.yml) chooses it, as the spectrogram and signal recipes choose theirs.</summary>
    public abstract UnifiedVoiceConfig Size { get; }

    /// <summary>The size of the DVAE whose codes the GPT learns to predict.</summary>
    public abstract DiscreteVaeConfig CodesSize { get; }

    /// <summary>Whether the run starts from TorToiSe's files (the full model) or may start from random weights (the tiny one).</summary>
    public abstract bool NeedsTortoiseFiles { get; }

    public TortoiseGptOptions Options { get; init; } = new();

    /// <summary>Every problem with the options' paths at once, each naming the option and the file.</summary>
    public IReadOnlyList<string> Problems() => Options.Problems(NeedsTortoiseFiles);

    /// <summary>The recipe of a size: "full" (TorToiSe's model) or "tiny" (random weights, for tests and CI), as `kit finetune --size` names them.</summary>
    public static TortoiseGptRecipe ForSize(string size, TortoiseGptOptions options) => size.ToLowerInvariant() switch
    {
        "full" => new FullTortoiseGptRecipe { Options = options },
        "tiny" => new TinyTortoiseGptRecipe { Options = options },
        _ => throw new ArgumentException($"unknown TorToiSe GPT size '{size}': use tiny or full"),
    };

    public ITrainable Create(RecipeContext context)
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new FileNotFoundException("the tortoise-gpt recipe needs TorToiSe's files (`kit finetune` takes them as --base-model, --dvae, --tokenizer):\n"
                + string.Join("\n", problems) + "\n" + TortoiseGptOptions.WhereToGetThem);
        var device = ComputeDevice.SeedAndPick(context.Seed);

        var config = Size;
        var model = new UnifiedVoice(config);
        if (Options.BaseModel is { } basePath)
        {
            context.Log($"loading the GPT from {basePath}");
            model.load_weights(basePath, strict: true);
        }
        using var dvae = new DiscreteVae(CodesSize);
        if (Options.Dvae is { } dvaePath) dvae.LoadFile(dvaePath);
        dvae.eval();
        var identity = Options.Dvae is { } p ? $"{Path.GetFullPath(p)}|{new FileInfo(p).Length}" : $"random-{Name}-seed{context.Seed}";
        // Normalised mels give other codes: the norms file is part of the cache key.
        if (Options.MelNorms is { } normsPath) identity += $"|norms:{Path.GetFullPath(normsPath)}|{new FileInfo(normsPath).Length}";
        using var melNorms = Options.MelNorms is { } np ? MelNorms.Load(np) : null;
        if (melNorms is not null) context.Log($"dividing mels by the per-band norms in {Options.MelNorms}");
        var cache = new MelCodeCache(Path.Combine(context.RunDirectory, "dvae-codes"), dvae, identity);
        Func<string, int[]> tokenize = Options.Tokenizer is { } tokPath
            ? TortoiseTokenizer.Load(tokPath).Encode
            : text => CharacterTokens(text, config.TextVocabulary);
        var preparer = new ClipPreparer(config, cache, tokenize, context.Log, melNorms);
        var train = preparer.Prepare(context.Train, "training");
        var validation = preparer.Prepare(context.Validation, "validation");
        if (train.Count == 0) throw new InvalidOperationException("no training clip fits the model's text and mel limits");

        if (device.type != DeviceType.CPU) model.to(device);
        var optimizer = optim.AdamW(model.parameters(), lr: context.Config.Parameters.TrainingRate, beta1: Beta1, beta2: Beta2, weight_decay: Defaults.WeightDecay.Value);
        return new Trainable(context, model, optimizer, device, train, validation);
    }

    /// <summary>Tiny runs without a tokenizer file: lower-case characters folded into the text vocabulary (not TorToiSe's tokens).</summary>
    private static int[] CharacterTokens(string text, int vocabulary) =>
        TortoiseTokenizer.EnglishCleaners(text).Select(c => 1 + c % (vocabulary - 2)).ToArray();

    private sealed class Trainable(RecipeContext context, UnifiedVoice model, optim.Optimizer optimizer, Device device, List<ClipData> train, List<ClipData> validation)
        : TorchTrainable(context, model, optimizer, device)
    {
        public override IReadOnlyList<double> TrainLengths { get; } = train.Select(c => (double)c.Samples).ToArray();

        protected override int ValidationCount => validation.Count;

        public override long EstimatedCheckpointBytes => model.parameters().Sum(p => p.numel() * 4) * 3 + (1 << 20);

        protected override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool isValidation)
        {
            var set = isValidation ? validation : train;
            var batch = clips.Select(i => set[i]).ToList();
            var text = Padded(batch.Select(c => c.Text).ToList());
            var codes = Padded(batch.Select(c => c.Codes).ToList());
            var textLengths = tensor(batch.Select(c => (long)c.Text.Length).ToArray(), device: Device);
            var wavLengths = tensor(batch.Select(c => c.Samples).ToArray(), device: Device);
            var cond = tensor(batch.SelectMany(c => c.Conditioning).ToArray(), [batch.Count, 2, DvaeMelBands, ClipPreparer.ConditioningFrames], device: Device);
            var output = model.call(cond, text, textLengths, codes, wavLengths);
            var loss = output.LossText * TextLossWeight + output.LossMel * MelLossWeight;
            return new Dictionary<string, Tensor> { ["loss"] = loss, ["loss_text_ce"] = output.LossText, ["loss_mel_ce"] = output.LossMel };
        }

        private const int DvaeMelBands = TortoiseMel.Bands;

        private Tensor Padded(List<long[]> rows)
        {
            var width = rows.Max(r => r.Length);
            var flat = new long[rows.Count * width];
            for (int i = 0; i < rows.Count; i++) rows[i].CopyTo(flat, i * width);
            return tensor(flat, [rows.Count, width], device: Device);
        }
    }
}

/// <summary>TorToiSe's GPT (about 421 M parameters), fine-tuned from its published files.</summary>
public sealed class FullTortoiseGptRecipe : TortoiseGptRecipe
{
    public const string RecipeName = "tortoise-gpt";
    public override string Name => RecipeName;
    public override UnifiedVoiceConfig Size => UnifiedVoiceConfig.Full;
    public override DiscreteVaeConfig CodesSize => DiscreteVaeConfig.Full;
    public override bool NeedsTortoiseFiles => true;

    /// <summary>DLAS's EXAMPLE_gpt.yml and the Colab guide's values (the parameter calculator's default recipe).</summary>
    public override RecipeDefaults Defaults => RecipeDefaults.TortoiseGpt;
}

/// <summary>The same architecture, 2 layers of width 64 from random weights: trains on any machine (tests, CI, trying it out).</summary>
public sealed class TinyTortoiseGptRecipe : TortoiseGptRecipe
{
    public const string RecipeName = "tortoise-gpt-tiny";
    public override string Name => RecipeName;
    public override UnifiedVoiceConfig Size => UnifiedVoiceConfig.Tiny;
    public override DiscreteVaeConfig CodesSize => DiscreteVaeConfig.Tiny;
    public override bool NeedsTortoiseFiles => false;

    /// <summary>Trainable parameters of the tiny GPT, rounded (RecipeDefaultsTests counts the real model).</summary>
    public const long TinyParameters = 210_000;

    /// <summary>The full recipe's training values (the tiny model is for trying the loop, not for its numbers), its own memory estimate.</summary>
    public override RecipeDefaults Defaults => RecipeDefaults.TortoiseGpt with { Recipe = RecipeName, Memory = TortoiseMemory.Of(Size, TinyParameters) };
}
