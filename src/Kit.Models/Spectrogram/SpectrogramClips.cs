using Kit.Data.Datasets;
using Kit.Models.Features;
using Kit.Models.Text;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Spectrogram;

/// <summary>A split's clips as token ids and log-mel frames (frames, mels), kept in memory for the run, batched with padding.</summary>
public sealed class SpectrogramClips : IClipSet
{
    private readonly long[][] _tokens;
    private readonly Tensor[] _frames;
    private readonly int _framesPerStep;
    private readonly double _padValue;

    public IReadOnlyList<DatasetEntry> Entries { get; }
    public IReadOnlyList<long> FrameCounts { get; }

    public SpectrogramClips(IReadOnlyList<DatasetEntry> entries, TextFrontEnd frontEnd, FeatureCache features, int framesPerStep)
    {
        Entries = entries;
        _framesPerStep = framesPerStep;
        _padValue = Math.Log(features.Settings.LogFloor);
        _tokens = entries.Select(e => frontEnd.Encode(e.TrainingText)).ToArray();
        _frames = entries.Select(e =>
        {
            using var scope = NewDisposeScope();
            var (mel, signal) = features.Get(e.AudioPath);
            return scope.MoveToOuter(mel.t().contiguous()).DetachFromDisposeScope();
        }).ToArray();
        FrameCounts = _frames.Select(f => f.shape[0]).ToArray();
    }

    public int Count => _tokens.Length;

    /// <summary>Tokens (B, N) padded with 0, target frames (B, T, mels) padded to a whole number of decoder steps, and the real lengths.</summary>
    public (Tensor Tokens, Tensor Targets, long[] FrameLengths, long[] TokenLengths) Batch(IReadOnlyList<int> clips, Device device)
    {
        var tokenLengths = clips.Select(c => (long)_tokens[c].Length).ToArray();
        var frameLengths = clips.Select(c => FrameCounts[c]).ToArray();
        long n = tokenLengths.Max(), t = (frameLengths.Max() + _framesPerStep - 1) / _framesPerStep * _framesPerStep;
        var ids = new long[clips.Count * n];
        for (var i = 0; i < clips.Count; i++) _tokens[clips[i]].CopyTo(ids, i * n);
        var rows = clips.Select(c => nn.functional.pad(_frames[c], [0, 0, 0, t - FrameCounts[c]], value: _padValue)).ToArray();
        return (tensor(ids, [clips.Count, n], device: device), stack(rows).to(device), frameLengths, tokenLengths);
    }

    public void Dispose()
    {
        foreach (var f in _frames) f.Dispose();
    }
}
