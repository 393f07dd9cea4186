using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>One batch of training slices: conditioning frames with context, the previous sample's bytes, and the targets.</summary>
public sealed record SignalBatch(Tensor Mel, Tensor PreviousCoarse, Tensor PreviousFine, Tensor Coarse, Tensor Fine);

/// <summary>
/// A split's clips as log-mel frames and 16-bit class ids, kept in memory for the run. A batch takes one
/// slice of <see cref="SignalModelSize.SegmentFrames"/> frames per clip (random in training, the middle in
/// validation so its losses compare across validations): a step costs the same for any clip length.
/// </summary>
public sealed class SignalClips : IClipSet
{
    private readonly Tensor[] _mels;   // (mels, context + frames + segment + context), padded with silence
    private readonly Tensor[] _coarse; // (1 + (frames + segment)·hop): a silent sample first, then the clip, then silence
    private readonly Tensor[] _fine;
    private readonly int _hop, _segment;

    public IReadOnlyList<long> FrameCounts { get; }
    public int Count => _mels.Length;

    /// <param name="mels">Each clip's log-mel (mels, frames).</param>
    /// <param name="signals">Each clip's samples at the mel settings' rate.</param>
    public SignalClips(IReadOnlyList<Tensor> mels, IReadOnlyList<Tensor> signals, int hop, int segmentFrames, double melPad)
    {
        _hop = hop;
        _segment = segmentFrames;
        var context = ConditioningNetwork.ContextFrames;
        FrameCounts = mels.Select(m => m.shape[1]).ToArray();
        _mels = mels.Select(m => nn.functional.pad(m, [context, context + segmentFrames], value: melPad).DetachFromDisposeScope()).ToArray();
        _coarse = new Tensor[signals.Count];
        _fine = new Tensor[signals.Count];
        for (var i = 0; i < signals.Count; i++)
        {
            using var scope = NewDisposeScope();
            var length = (FrameCounts[i] + segmentFrames) * hop;
            var signal = signals[i].narrow(0, 0, Math.Min(signals[i].shape[0], length));
            var padded = nn.functional.pad(signal, [1, length - signal.shape[0]]);
            var (c, f) = SixteenBit.Split(padded);
            _coarse[i] = c.DetachFromDisposeScope();
            _fine[i] = f.DetachFromDisposeScope();
        }
    }

    /// <summary>One slice per clip: random starts (from torch's generator, so a seeded step draws the same) or the middle.</summary>
    public SignalBatch Batch(IReadOnlyList<int> clips, bool random, Device device)
    {
        long[] draws = random ? randint(0, int.MaxValue, [clips.Count]).data<long>().ToArray() : new long[clips.Count];
        long samples = (long)_segment * _hop, window = _segment + 2 * ConditioningNetwork.ContextFrames;
        var mel = new Tensor[clips.Count];
        var previousCoarse = new Tensor[clips.Count];
        var previousFine = new Tensor[clips.Count];
        var coarse = new Tensor[clips.Count];
        var fine = new Tensor[clips.Count];
        for (var i = 0; i < clips.Count; i++)
        {
            var c = clips[i];
            var starts = Math.Max(1, FrameCounts[c] - _segment + 1);
            var start = random ? draws[i] % starts : (starts - 1) / 2;
            // Padded mel index start is real frame start - context; sample index start·hop is the sample before the slice.
            mel[i] = _mels[c].narrow(1, start, window);
            previousCoarse[i] = _coarse[c].narrow(0, start * _hop, samples);
            previousFine[i] = _fine[c].narrow(0, start * _hop, samples);
            coarse[i] = _coarse[c].narrow(0, start * _hop + 1, samples);
            fine[i] = _fine[c].narrow(0, start * _hop + 1, samples);
        }
        return new SignalBatch(stack(mel).to(device), stack(previousCoarse).to(device), stack(previousFine).to(device),
            stack(coarse).to(device), stack(fine).to(device));
    }

    /// <summary>A clip's first <paramref name="maxFrames"/> log-mel frames (mels, frames) and their real audio (samples), for listening.</summary>
    public (Tensor Mel, Tensor Audio) Clip(int clip, long maxFrames)
    {
        var frames = Math.Min(FrameCounts[clip], maxFrames);
        var samples = frames * _hop;
        return (_mels[clip].narrow(1, ConditioningNetwork.ContextFrames, frames),
            SixteenBit.Join(_coarse[clip].narrow(0, 1, samples), _fine[clip].narrow(0, 1, samples)));
    }

    public void Dispose()
    {
        foreach (var t in _mels.Concat(_coarse).Concat(_fine)) t.Dispose();
    }
}
