using Kit.Models.Features;
using Kit.Models.Signal;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Synthesis;

/// <summary>
/// A trained WaveRNN loaded from its weights, turning log-mel spectrograms into audio. Generation is
/// sample by sample, so each clip's conditioning is cut into folds (<see cref="Folding"/>), all folds of all
/// clips are generated together as one batch, and neighbouring folds are cross-faded where they overlap
/// (Fatchord's batched WaveRNN): the loop runs for one fold's length however long the audio is.
/// </summary>
public sealed class SignalSynthesizer : IDisposable
{
    private readonly WaveRnnModel _model;

    public SignalModelConfig Config { get; }
    public MelSettings Mel => Config.Mel;
    public Device Device { get; }
    public SignalFolding Folding { get; init; } = SignalFolding.Default;

    /// <summary>
    /// Intra-op threads of the generation loop on the CPU. One: a step is a few small ops, and spreading each
    /// over threads costs more in hand-offs than it gains (README: `kit bench models` measures both).
    /// </summary>
    public int CpuThreads { get; init; } = 1;

    private readonly bool _ownsModel;

    /// <param name="ownsModel">False when the model is lent (a training run's, for validation samples): Dispose leaves it alone.</param>
    public SignalSynthesizer(WaveRnnModel model, SignalModelConfig config, Device device, bool ownsModel = true)
    {
        _model = model;
        _ownsModel = ownsModel;
        Config = config;
        Device = device;
    }

    /// <summary>Loads a weights file (a model.pth; CheckpointPaths.Weights finds the one of a checkpoint or run folder).</summary>
    public static SignalSynthesizer Load(string path, Device? device = null)
    {
        var (model, config, dev) = ModelConfig.LoadForInference(path, "signal model",
            (SignalModelConfig c) => new WaveRnnModel(c.Mel.NMels, c.Mel.HopLength, Math.Log(c.Mel.LogFloor), c.Size),
            device);
        return new SignalSynthesizer(model, config, dev);
    }

    /// <summary>Audio (samples at <see cref="Mel"/>'s rate, frames·hop each) for log-mel spectrograms (mels, frames).</summary>
    public IReadOnlyList<float[]> Synthesize(IReadOnlyList<Tensor> mels)
    {
        Folding.Validate();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var conditions = mels.Select(m => _model.Condition(m.unsqueeze(0).to(Device)).squeeze(0)).ToArray(); // (T, features) each
        return Folding.Enabled ? Folded(conditions) : conditions.Select(Unfolded).ToArray();
    }

    private float[] Unfolded(Tensor condition)
    {
        var (coarse, fine) = GenerateOnTheCpuThreads(condition.unsqueeze(0)); // (T, features) -> (1, T, features)
        return SixteenBit.Join(coarse, fine).squeeze(0).cpu().data<float>().ToArray(); // (1, T) -> (T)
    }

    private float[][] Folded(Tensor[] conditions)
    {
        long hop = _model.Hop, overlap = Folding.OverlapFrames * hop, fold = (Folding.FoldFrames + 2L * Folding.OverlapFrames) * hop, stride = fold - overlap;
        var lengths = new long[conditions.Length];
        var counts = new long[conditions.Length];
        var folds = new List<Tensor>();
        for (var i = 0; i < conditions.Length; i++)
        {
            lengths[i] = conditions[i].shape[0];
            counts[i] = Math.Max(1, (lengths[i] - overlap + stride - 1) / stride);
            var padded = nn.functional.pad(conditions[i], [0, 0, 0, counts[i] * stride + overlap - lengths[i]]);
            folds.Add(padded.unfold(0, fold, stride).transpose(1, 2)); // (T', features) -> (folds, features, fold) -> (folds, fold, features)
        }
        var (coarse, fine) = GenerateOnTheCpuThreads(cat(folds, 0));
        var audio = SixteenBit.Join(coarse, fine).cpu();
        var result = new float[conditions.Length][];
        long first = 0;
        for (var i = 0; i < conditions.Length; i++)
        {
            // This clip's folds (all, L) -> (counts[i], L); its overlap-added audio trimmed to its length.
            result[i] = CrossFade(audio.narrow(0, first, counts[i]), stride, overlap).narrow(0, 0, lengths[i]).data<float>().ToArray();
            first += counts[i];
        }
        return result;
    }

    private (Tensor Coarse, Tensor Fine) GenerateOnTheCpuThreads(Tensor condition)
    {
        if (Device.type != DeviceType.CPU) return _model.Generate(condition);
        var threads = get_num_threads();
        set_num_threads(CpuThreads);
        try { return _model.Generate(condition); }
        finally { set_num_threads(threads); }
    }

    /// <summary>
    /// Overlap-adds folds (n, L) placed every <paramref name="stride"/> samples. Where two folds overlap, the
    /// later spends the first half warming up (silent) while the earlier plays on; over the second half the
    /// earlier fades out as the later fades in, at equal power (fade-in² + fade-out² = 1).
    /// </summary>
    private static Tensor CrossFade(Tensor folds, long stride, long overlap)
    {
        long n = folds.shape[0], length = folds.shape[1];
        var window = ones(n, length);
        if (n > 1 && overlap > 1)
        {
            long silence = overlap / 2, fade = overlap - silence;
            var t = linspace(-1, 1, fade);
            var fadeIn = cat([zeros(silence), (0.5 * (1 + t)).sqrt()]);
            var fadeOut = cat([ones(silence), (0.5 * (1 - t)).sqrt()]);
            var starts = cat([ones(1, overlap), fadeIn.unsqueeze(0).expand(n - 1, overlap)]); // (overlap) -> (n - 1, overlap), below the first fold's
            var ends = cat([fadeOut.unsqueeze(0).expand(n - 1, overlap), ones(1, overlap)]); // (overlap) -> (n - 1, overlap), above the last fold's
            window = cat([starts, ones(n, length - 2 * overlap), ends], 1);
        }
        var index = (arange(n) * stride).unsqueeze(1) + arange(length).unsqueeze(0); // (n, 1) + (1, L) -> (n, L): each sample's place
        return zeros((n - 1) * stride + length).scatter_add(0, index.flatten(), (folds * window).flatten()); // (n, L) -> (n·L)
    }

    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }
}
