using Kit.Data.Audio;
using Kit.Models.Features;
using Kit.Models.Spectrogram;
using Kit.Models.Text;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Synthesis;

/// <summary>One line's predicted spectrogram: log-mel (mels, frames) on the CPU, and its attention [decoder step, token].</summary>
public sealed record PredictedSpectrogram(string Text, Tensor Mel, float[,] Alignment) : IDisposable
{
    public long Frames => Mel.shape[1];
    public void Dispose() => Mel.Dispose();
}

/// <summary>A trained spectrogram model loaded from its weights, with the front end and mel settings it was trained with.</summary>
public sealed class SpectrogramSynthesizer : IDisposable
{
    private readonly TacotronModel _model;

    public SpectrogramModelConfig Config { get; }
    public TextFrontEnd FrontEnd { get; }
    public MelSettings Mel => Config.Mel;
    public Device Device { get; }

    private SpectrogramSynthesizer(TacotronModel model, SpectrogramModelConfig config, Device device)
    {
        _model = model;
        Config = config;
        FrontEnd = config.FrontEnd();
        Device = device;
    }

    /// <summary>Loads a weights file (a model.pth; CheckpointPaths.Weights finds the one of a checkpoint or run folder).</summary>
    public static SpectrogramSynthesizer Load(string path, Device? device = null)
    {
        var (model, config, dev) = ModelConfig.LoadForInference(path, "spectrogram model",
            (SpectrogramModelConfig c) => new TacotronModel(CharacterVocabulary.Deserialize(c.Vocabulary).Count, c.Mel.NMels, c.Size),
            device);
        return new SpectrogramSynthesizer(model, config, dev);
    }

    /// <summary>Spectrograms for many lines, in batches of <paramref name="batchSize"/> (lines of similar length together).</summary>
    public IReadOnlyList<PredictedSpectrogram> Predict(IReadOnlyList<string> lines, int batchSize = 8)
    {
        var encoded = lines.Select(FrontEnd.Encode).ToArray();
        var results = new PredictedSpectrogram[lines.Count];
        var order = Enumerable.Range(0, lines.Count).OrderBy(i => encoded[i].Length).ToArray();
        using var _ = no_grad();
        foreach (var chunk in order.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            long n = chunk.Max(i => encoded[i].Length);
            var ids = new long[chunk.Length * n];
            for (var j = 0; j < chunk.Length; j++) encoded[chunk[j]].CopyTo(ids, j * n);
            var (p, frames) = _model.Infer(tensor(ids, [chunk.Length, n], device: Device));
            for (var j = 0; j < chunk.Length; j++)
            {
                var mel = p.PostFrames[j].slice(0, 0, frames[j], 1).t().contiguous().cpu();
                var steps = (frames[j] + Config.Size.FramesPerStep - 1) / Config.Size.FramesPerStep;
                results[chunk[j]] = new PredictedSpectrogram(lines[chunk[j]], scope.MoveToOuter(mel),
                    ToArray(p.Alignments[j].slice(0, 0, steps, 1).slice(1, 0, encoded[chunk[j]].Length, 1)));
            }
        }
        return results;
    }

    /// <summary>The attention when the model is fed a clip's real frames (teacher forcing), [decoder step, token].</summary>
    public float[,] TeacherForcedAlignment(string text, string wavPath) =>
        ToArray(TeacherForced(text, wavPath).Alignments);

    /// <summary>The model's post-net frames (mels, frames) for a clip's real frames: what the signal model trains on with a spectrogram checkpoint.</summary>
    public Tensor TeacherForcedFrames(string text, Tensor realMel)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var p = Forward(text, realMel);
        return scope.MoveToOuter(p.PostFrames[0].slice(0, 0, realMel.shape[1], 1).t().contiguous().cpu());
    }

    private (Tensor Alignments, long Steps) TeacherForced(string text, string wavPath)
    {
        using var mels = new LogMelSpectrogram(Mel);
        using var real = mels.Compute(AudioFile.Read(wavPath));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var p = Forward(text, real);
        var steps = (real.shape[1] + Config.Size.FramesPerStep - 1) / Config.Size.FramesPerStep;
        return (scope.MoveToOuter(p.Alignments[0].slice(0, 0, steps, 1).cpu()), steps);
    }

    private SpectrogramPrediction Forward(string text, Tensor realMel)
    {
        var ids = FrontEnd.Encode(text);
        long r = Config.Size.FramesPerStep, t = realMel.shape[1], padded = (t + r - 1) / r * r;
        var targets = nn.functional.pad(realMel.t(), [0, 0, 0, padded - t], value: Math.Log(Mel.LogFloor)).unsqueeze(0).to(Device); // (mels, T) -> (T, mels) -> (T', mels) -> (1, T', mels)
        return _model.call(tensor(ids, [1, ids.Length], device: Device), targets);
    }

    public static float[,] ToArray(Tensor alignment)
    {
        var a = alignment.cpu().contiguous();
        int rows = (int)a.shape[0], cols = (int)a.shape[1];
        var flat = a.data<float>().ToArray();
        var m = new float[rows, cols];
        Buffer.BlockCopy(flat, 0, m, 0, flat.Length * 4);
        return m;
    }

    public void Dispose() => _model.Dispose();
}
