using Kit.TorchExtras;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>
/// Mel frames to one conditioning vector per audio sample: a convolution over ±2 frames and residual 1×1
/// blocks make features of the neighbourhood; the mel and those features are stretched to the sample rate in
/// stages (each repeats every step f times, then a learned smoothing over ±f steps, shared by all channels,
/// starts as a moving average). A sample's vector is [upsampled mel, upsampled features].
/// </summary>
public sealed class ConditioningNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// Frames of context each side that the output of a frame depends on (the ±2-frame convolution plus the
    /// smoothing, under 2 frames): a slice conditioned with this much context on each side equals the whole clip's.
    /// </summary>
    public const int ContextFrames = 4;

    private readonly Conv1d input;
    private readonly ModuleList<Conv1d> residualIn, residualOut;
    // Only the holders of the smoothing filters (forward convolves with their weights depthwise); kept as Conv1d so
    // that the state dict's names stay smoothing.N.weight and earlier checkpoints load.
    private readonly ModuleList<Conv1d> smoothing;
    private readonly int[] _factors;
    private readonly int _mels;

    public int Features { get; }
    public int Hop { get; }

    public ConditioningNetwork(int mels, int hop, SignalModelSize size) : base(nameof(ConditioningNetwork))
    {
        _mels = mels;
        Hop = hop;
        _factors = UpsampleFactors(hop);
        var c = size.ConditioningChannels;
        Features = mels + c;
        input = nn.Conv1d(mels, c, 5, padding: 2);
        residualIn = nn.ModuleList(Enumerable.Range(0, size.ResidualBlocks).Select(_ => nn.Conv1d(c, c, 1)).ToArray());
        residualOut = nn.ModuleList(Enumerable.Range(0, size.ResidualBlocks).Select(_ => nn.Conv1d(c, c, 1)).ToArray());
        smoothing = nn.ModuleList(_factors.Select(f => nn.Conv1d(1, 1, 2 * f + 1, padding: f, bias: false)).ToArray());
        using (no_grad())
            for (var i = 0; i < _factors.Length; i++) smoothing[i].weight.fill_(1.0 / (2 * _factors[i] + 1));
        RegisterComponents();
    }

    /// <summary>Log-mel frames (B, mels, F) to conditioning (B, F·hop, <see cref="Features"/>).</summary>
    public override Tensor forward(Tensor mel)
    {
        var x = input.call(mel).relu();
        for (var i = 0; i < residualIn.Count; i++) x = x + residualOut[i].call(residualIn[i].call(x).relu());
        var z = cat([mel, x], 1);
        var channels = z.shape[1];
        for (var i = 0; i < _factors.Length; i++)
        {
            z = z.repeat_interleave(_factors[i], 2); // (B, C, L) -> (B, C, L·f)
            // One smoothing for every channel, as a depthwise convolution of the one filter (C, 1, k) over (B, C, L):
            // the same sums as the filter over each of the B·C rows, without oneDNN's im2col of a 1-channel convolution
            // (that form made a signal-tiny training step 1.8x slower on one thread).
            var filter = smoothing[i].weight;
            z = nn.functional.conv1d(z, filter.expand(channels, 1, filter.shape[2]), padding: _factors[i], groups: channels);
        }
        return z.transpose(1, 2); // (B, C, F·hop) -> (B, F·hop, C)
    }

    /// <summary>
    /// The hop as up to three stretch factors, primes dealt to the smallest product so far: 256 → 8·8·4,
    /// 300 → 10·6·5. Each stage's smoothing reaches ±f of its steps.
    /// </summary>
    public static int[] UpsampleFactors(int hop)
    {
        if (hop < 1) throw new ArgumentException($"hop must be positive, not {hop}");
        var primes = new List<int>();
        for (int n = hop, p = 2; n > 1; p++)
            while (n % p == 0) { primes.Add(p); n /= p; }
        var bins = new List<int>();
        foreach (var p in primes.OrderByDescending(p => p))
        {
            if (bins.Count < 3) { bins.Add(p); continue; }
            var smallest = bins.IndexOf(bins.Min());
            bins[smallest] *= p;
        }
        return bins.Count == 0 ? [1] : bins.OrderByDescending(f => f).ToArray();
    }
}
