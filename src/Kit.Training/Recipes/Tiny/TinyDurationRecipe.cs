using Kit.Data.Audio;
using Kit.Data.Datasets;
using Kit.Torch.Formats;
using Kit.Training.Batching;
using Kit.Training.Checkpoints;
using Kit.Training.Parameters;

namespace Kit.Training.Recipes.Tiny;

/// <summary>
/// The smallest real recipe: a linear model with Adam that predicts how long a clip lasts from its text
/// (letter counts, words, punctuation). It trains in milliseconds on two cores, so the trainer's own
/// machinery (stops, checkpoints, resume, NaN rollback, metrics) can be tested and benchmarked on the
/// sample dataset without a GPU. Pure managed code: it needs no tensor engine.
/// </summary>
public sealed class TinyDurationRecipe : IRecipe
{
    public const string RecipeName = "tiny-duration";

    public string Name => RecipeName;

    /// <summary>
    /// Values for a model of six weights on two CPU cores: steps are microseconds, so every number is about
    /// seeing the trainer work within a test, not about a voice.
    /// </summary>
    public static RecipeDefaults TrainingDefaults { get; } = new RecipeDefaults
    {
        Recipe = RecipeName,
        TrainingRate = new(0.05, "one weight per text feature: Adam takes large steps and the loss falls within tens of steps"),
        HighestRate = new(0.5, "above it Adam's steps overshoot the handful of weights"),
        Batch = new(8, "the demos' batch: a few clips per step on two cores"),
        TotalSteps = new(200, "the loss settles within a few hundred steps"),
        DecayEpochs = new([], "a run of seconds needs none"),
        DecayGamma = new(0.5, "halves at LRDecaySteps, if you set them"),
        WarmupSteps = new(0, "none: nothing to stabilise in a linear model"),
        MaxGradNorm = new(4, "a guard against an exploding step, at EXAMPLE_gpt.yml's and fatchord WaveRNN's 4"),
        WeightDecay = new(0, "none: six weights do not overfit"),
        Fp16 = new(false, "managed fp32 arithmetic: there is no half precision here"),
        PrintFreq = new(5, "a line every few steps of a run of seconds"),
        ValFreq = new(20, "validation is one pass over a few numbers"),
        SaveCheckpointFreq = new(20, "a checkpoint is 4 KB"),
        Memory = new FixedMemoryModel("the tiny duration model", TextFeatures.Count, 64),
    }.Validate();

    public RecipeDefaults Defaults => TrainingDefaults;

    /// <summary>
    /// For tests of the NaN policy: once the model has made <see cref="NonFiniteFromStep"/> updates, the next
    /// <see cref="NonFiniteLosses"/> training losses come out NaN. Counted here, so a rollback does not replay them.
    /// </summary>
    public int NonFiniteLosses { get; set; }
    public long NonFiniteFromStep { get; init; }

    public ITrainable Create(RecipeContext context) => new TinyDurationModel(context, this);
}

internal sealed class TinyDurationModel : ITrainable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    private readonly float[][] _trainFeatures;
    private readonly double[] _trainTargets;
    private readonly float[][] _valFeatures;
    private readonly double[] _valTargets;
    private readonly double[] _weights;
    private readonly double[] _grad;
    private readonly double[] _m;
    private readonly double[] _v;
    private long _adamSteps;

    private readonly TinyDurationRecipe _recipe;

    public TinyDurationModel(RecipeContext context, TinyDurationRecipe recipe)
    {
        _recipe = recipe;
        (_trainFeatures, _trainTargets) = Prepare(context.Train);
        (_valFeatures, _valTargets) = Prepare(context.Validation);
        TrainLengths = _trainTargets;
        _weights = new double[TextFeatures.Count];
        var rng = new SeededRandom((ulong)context.Seed);
        for (var i = 0; i < _weights.Length; i++) _weights[i] = (rng.NextUInt64() / (double)ulong.MaxValue - 0.5) * 0.1;
        _grad = new double[_weights.Length];
        _m = new double[_weights.Length];
        _v = new double[_weights.Length];
    }

    public IReadOnlyList<double> TrainLengths { get; }

    public long EstimatedCheckpointBytes => 4096;

    public IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight)
    {
        double loss = 0;
        foreach (var c in clips)
        {
            var error = Predict(_trainFeatures[c]) - _trainTargets[c];
            loss += error * error;
            var scale = 2 * error * weight / clips.Count;
            for (var i = 0; i < _weights.Length; i++) _grad[i] += scale * _trainFeatures[c][i];
        }
        loss /= clips.Count;
        if (_recipe.NonFiniteLosses > 0 && _adamSteps >= _recipe.NonFiniteFromStep)
        {
            _recipe.NonFiniteLosses--;
            loss = double.NaN;
        }
        return new Dictionary<string, double> { ["loss"] = loss, ["duration_loss"] = loss };
    }

    public bool ApplyUpdate(double learningRate, double? maxGradNorm)
    {
        var norm = Math.Sqrt(_grad.Sum(g => g * g));
        if (!double.IsFinite(norm))
        {
            DiscardGradients();
            return false;
        }
        if (maxGradNorm is { } max && norm > max)
            for (var i = 0; i < _grad.Length; i++) _grad[i] *= max / norm;
        _adamSteps++;
        var c1 = 1 - Math.Pow(Beta1, _adamSteps);
        var c2 = 1 - Math.Pow(Beta2, _adamSteps);
        for (var i = 0; i < _weights.Length; i++)
        {
            _m[i] = Beta1 * _m[i] + (1 - Beta1) * _grad[i];
            _v[i] = Beta2 * _v[i] + (1 - Beta2) * _grad[i] * _grad[i];
            _weights[i] -= learningRate * (_m[i] / c1) / (Math.Sqrt(_v[i] / c2) + Eps);
        }
        DiscardGradients();
        return true;
    }

    public void DiscardGradients() => Array.Clear(_grad);

    public IReadOnlyDictionary<string, double> Validate(int batchSize)
    {
        var loss = _valFeatures.Select((f, i) => Math.Pow(Predict(f) - _valTargets[i], 2)).DefaultIfEmpty(double.NaN).Average();
        return new Dictionary<string, double> { ["loss"] = loss, ["duration_loss"] = loss };
    }

    public void Save(CheckpointWriter writer)
    {
        writer.WriteToPath(CheckpointFiles.InferenceWeights, path => Pth.Save(path, [new("weight", RawTensor.Create(_weights, _weights.Length))]));
        writer.WriteToPath(CheckpointFiles.TrainingState, path => Pth.Save(path,
        [
            new("exp_avg", RawTensor.Create(_m, _m.Length)),
            new("exp_avg_sq", RawTensor.Create(_v, _v.Length)),
            new("step", RawTensor.Create(new[] { _adamSteps }, 1)),
        ]));
    }

    public void Load(LoadedCheckpoint checkpoint)
    {
        var model = Pth.LoadStateDict(checkpoint.PathOf(CheckpointFiles.InferenceWeights));
        var state = Pth.LoadStateDict(checkpoint.PathOf(CheckpointFiles.TrainingState));
        model["weight"].AsSpan<double>().CopyTo(_weights);
        state["exp_avg"].AsSpan<double>().CopyTo(_m);
        state["exp_avg_sq"].AsSpan<double>().CopyTo(_v);
        _adamSteps = state["step"].AsSpan<long>()[0];
        DiscardGradients();
    }

    public void Dispose() { }

    private double Predict(float[] features)
    {
        double y = 0;
        for (var i = 0; i < features.Length; i++) y += _weights[i] * features[i];
        return y;
    }

    private static (float[][] Features, double[] Seconds) Prepare(IReadOnlyList<DatasetEntry> entries) =>
        (entries.Select(e => TextFeatures.Of(e.TrainingText)).ToArray(),
         entries.Select(e => AudioFile.Probe(e.AudioPath).DurationSeconds).ToArray());
}

/// <summary>What the tiny model sees of a transcript: a bias, letters per kind, words and pauses (scaled near 1).</summary>
internal static class TextFeatures
{
    public const int Count = 6;

    public static float[] Of(string text)
    {
        int vowels = 0, consonants = 0, digits = 0, pauses = 0;
        foreach (var ch in text.ToLowerInvariant())
        {
            if ("aeiouy".Contains(ch)) vowels++;
            else if (char.IsLetter(ch)) consonants++;
            else if (char.IsDigit(ch)) digits++;
            else if (",.;:!?".Contains(ch)) pauses++;
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return [1f, vowels / 30f, consonants / 50f, digits / 5f, pauses / 3f, words / 15f];
    }
}
