using System.Diagnostics;
using Kit.Models.Signal;
using Kit.Models.Spectrogram;
using Kit.Models.Synthesis;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The signal model's part of `kit bench models`: tiny WaveRNN training steps/s from the kit and from the same
/// network in PyTorch (same synthetic batch: 4 slices of the tiny recipe's length, 80 mel bins, hop 256), and
/// WaveRNN synthesis's real-time factor (batched folds, the tiny model, a 3-second spectrogram).
/// </summary>
public static class SignalModelBench
{
    private const int Batch = 4;
    private static readonly SignalModelSize Size = SignalModelSize.Tiny;
    private static readonly Kit.Models.Features.MelSettings Mel = new TinySpectrogramRecipe().Mel;

    public static string Shape => $"batch {Batch} x {Size.SegmentFrames * Mel.HopLength} samples, GRU {Size.HiddenSize}";

    public static double KitStepsPerSecond(int steps)
    {
        manual_seed(0);
        using var model = new WaveRnnModel(Mel.NMels, Mel.HopLength, Math.Log(Mel.LogFloor), Size);
        using var opt = optim.Adam(model.parameters(), lr: 1e-3);
        long samples = Size.SegmentFrames * Mel.HopLength;
        using var mel = (randn(Batch, Mel.NMels, Size.SegmentFrames + 2 * ConditioningNetwork.ContextFrames) - 4).DetachFromDisposeScope();
        using var previousCoarse = randint(0, 256, [Batch, samples]).DetachFromDisposeScope();
        using var previousFine = randint(0, 256, [Batch, samples]).DetachFromDisposeScope();
        using var coarse = randint(0, 256, [Batch, samples]).DetachFromDisposeScope();
        using var fine = randint(0, 256, [Batch, samples]).DetachFromDisposeScope();
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var p = model.forward(mel, previousCoarse, previousFine, coarse);
            SignalLosses.Compute(p, coarse, fine)["loss"].backward();
            opt.step();
        }
        Step();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        return steps / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds of generation per second of audio, for an untrained tiny model (the work does not depend on the weights).</summary>
    public static double SynthesisRealTimeFactor(double seconds = 3)
    {
        manual_seed(0);
        var model = new WaveRnnModel(Mel.NMels, Mel.HopLength, Math.Log(Mel.LogFloor), Size);
        model.eval();
        using var synthesizer = new SignalSynthesizer(model, new SignalModelConfig { Size = Size, Mel = Mel }, CPU);
        using var mel = (randn(Mel.NMels, (long)(seconds * Mel.SampleRate / Mel.HopLength)) - 4).DetachFromDisposeScope();
        var sw = Stopwatch.StartNew();
        var audio = synthesizer.Synthesize([mel])[0];
        return sw.Elapsed.TotalSeconds / (audio.Length / (double)Mel.SampleRate);
    }

    public static double PythonStepsPerSecond(int threads, int steps) =>
        PythonReference.Run(threads, "-c", Script, threads, steps, Batch, Size.SegmentFrames, Mel.HopLength, Mel.NMels, Size.HiddenSize,
            Size.ConditioningChannels, Size.ResidualBlocks).GetProperty("steps_per_s").GetDouble();

    // WaveRnnModel layer for layer: conditioning convs and stretch-and-smooth upsampling, one GRU whose coarse
    // half is masked from the current coarse byte, two heads.
    private const string Script = """
import sys, time, json, torch, torch.nn as nn, torch.nn.functional as F
threads, steps, B, S, hop, M, H, C, R = map(int, sys.argv[1:10])
torch.set_num_threads(threads); torch.manual_seed(0)
CTX, half, I = 4, H // 2, 3 + M + C
def factors(hop):
    primes, n, p = [], hop, 2
    while n > 1:
        while n % p == 0: primes.append(p); n //= p
        p += 1
    bins = []
    for q in sorted(primes, reverse=True):
        if len(bins) < 3: bins.append(q)
        else: bins[bins.index(min(bins))] *= q
    return sorted(bins, reverse=True)
class WaveRNN(nn.Module):
    def __init__(s):
        super().__init__()
        s.inp = nn.Conv1d(M, C, 5, padding=2)
        s.res_in = nn.ModuleList([nn.Conv1d(C, C, 1) for _ in range(R)]); s.res_out = nn.ModuleList([nn.Conv1d(C, C, 1) for _ in range(R)])
        s.f = factors(hop); s.smooth = nn.ModuleList([nn.Conv1d(1, 1, 2 * f + 1, padding=f, bias=False) for f in s.f])
        s.gru = nn.GRU(I, H, batch_first=True)
        mask = torch.ones(3 * H, I)
        for g in range(3): mask[g * H: g * H + half, 2] = 0
        s.register_buffer('mask', mask)
        s.c1, s.c2, s.f1, s.f2 = nn.Linear(half, half), nn.Linear(half, 256), nn.Linear(half, half), nn.Linear(half, 256)
    def forward(s, mel, pc, pf, c):
        x = F.relu(s.inp(mel))
        for a, b in zip(s.res_in, s.res_out): x = x + b(F.relu(a(x)))
        z = torch.cat([mel, x], 1); b_, ch = z.shape[:2]
        for f, conv in zip(s.f, s.smooth):
            z = z.repeat_interleave(f, 2); z = conv(z.reshape(b_ * ch, 1, -1)).reshape(b_, ch, -1)
        T = c.shape[1]; cond = z.transpose(1, 2)[:, CTX * hop: CTX * hop + T]
        sc = lambda v: v.float() / 127.5 - 1
        inp = torch.cat([sc(pc).unsqueeze(2), sc(pf).unsqueeze(2), sc(c).unsqueeze(2), cond], 2)
        g = s.gru
        out, _ = torch._VF.gru(inp, torch.zeros(1, b_, H), [g.weight_ih_l0 * s.mask, g.weight_hh_l0, g.bias_ih_l0, g.bias_hh_l0], True, 1, 0.0, True, False, True)
        hc, hf = out[..., :half], out[..., half:]
        return s.c2(F.relu(s.c1(hc))), s.f2(F.relu(s.f1(hf)))
m = WaveRNN(); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
T = S * hop
mel = torch.randn(B, M, S + 2 * CTX) - 4
pc, pf, c, f = (torch.randint(0, 256, (B, T)) for _ in range(4))
def step():
    opt.zero_grad(); lc, lf = m(mel, pc, pf, c)
    loss = F.cross_entropy(lc.reshape(-1, 256), c.reshape(-1)) + F.cross_entropy(lf.reshape(-1, 256), f.reshape(-1))
    loss.backward(); opt.step()
step(); t0 = time.perf_counter()
for _ in range(steps): step()
print(json.dumps({"steps_per_s": steps / (time.perf_counter() - t0)}))
""";
}
