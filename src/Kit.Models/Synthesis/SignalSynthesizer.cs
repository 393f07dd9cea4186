using Kit.Models.Features;
using Kit.Models.Signal;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Synthesis;

/// <summary>
/// A trained WaveRNN loaded from its weights, turning log-mel spectrograms into audio. Generation is
/// sample by sample, so each clip's conditioning is cut into folds of <see cref="FoldFrames"/> frames that
/// overlap by <see cref="OverlapFrames"/>, all folds of all clips are generated together as one batch, and
/// neighbouring folds are cross-faded where they overlap (Fatchord's batched WaveRNN): the loop runs for one
/// fold's length however long the audio is.
/// </summary>
public sealed class SignalSynthesizer : IDisposable
{
    private readonly WaveRnnModel _model;

    public SignalModelConfig Config { get; }
    public MelSettings Mel => Config.Mel;
    public Device Device { get; }
    public int FoldFrames { get; init; } = 16;
    public int OverlapFrames { get; init; } = 2;

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
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long hop = _model.Hop, overlap = OverlapFrames * hop, fold = (FoldFrames + 2L * OverlapFrames) * hop, stride = fold - overlap;
        var lengths = new long[mels.Count];
        var counts = new long[mels.Count];
        var folds = new List<Tensor>();
        for (var i = 0; i < mels.Count; i++)
        {
            var condition = _model.Condition(mels[i].unsqueeze(0).to(Device)).squeeze(0); // (T, features)
            lengths[i] = condition.shape[0];
            counts[i] = Math.Max(1, (lengths[i] - overlap + stride - 1) / stride);
            var padded = nn.functional.pad(condition, [0, 0, 0, counts[i] * stride + overlap - lengths[i]]);
            folds.Add(padded.unfold(0, fold, stride).transpose(1, 2)); // (folds, fold, features)
        }
        var (coarse, fine) = GenerateSingleThreaded(cat(folds, 0));
        var audio = SixteenBit.Join(coarse, fine).cpu();
        var result = new float[mels.Count][];
        long first = 0;
        for (var i = 0; i < mels.Count; i++)
        {
            result[i] = CrossFade(audio.narrow(0, first, counts[i]), stride, overlap).narrow(0, 0, lengths[i]).data<float>().ToArray();
            first += counts[i];
        }
        return result;
    }

    /// <summary>
    /// On the CPU, generation runs on one intra-op thread: a step is a few ops over a few thousand numbers,
    /// and spreading each over threads costs more in hand-offs than it gains (on two busy cores: 1.5 ms a
    /// step on one thread, 44 ms on two).
    /// </summary>
    private (Tensor Coarse, Tensor Fine) GenerateSingleThreaded(Tensor condition)
    {
        if (Device.type != DeviceType.CPU) return _model.Generate(condition);
        var threads = get_num_threads();
        set_num_threads(1);
        try { return _model.Generate(condition); }
        finally { set_num_threads(threads); }
    }

    /// <summary>
    /// Overlap-adds folds (n, L) placed every <paramref name="stride"/> samples. Where two folds overlap, the
    /// earlier fades out and the later, after half the overlap of warm-up it does not use, fades in (equal power).
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
            var fadeOut = cat([(0.5 * (1 - t)).sqrt(), zeros(silence)]);
            var starts = cat([ones(1, overlap), fadeIn.unsqueeze(0).expand(n - 1, overlap)]);
            var ends = cat([fadeOut.unsqueeze(0).expand(n - 1, overlap), ones(1, overlap)]);
            window = cat([starts, ones(n, length - 2 * overlap), ends], 1);
        }
        var index = (arange(n) * stride).unsqueeze(1) + arange(length).unsqueeze(0);
        return zeros((n - 1) * stride + length).scatter_add(0, index.flatten(), (folds * window).flatten());
    }

    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }
}
