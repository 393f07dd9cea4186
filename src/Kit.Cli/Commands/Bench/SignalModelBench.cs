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
    private static readonly Kit.Models.Features.MelSettings Mel = Kit.Models.Features.MelSettings.Tiny;

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
            Size.ConditioningChannels, Size.ResidualBlocks, WaveRnnModel.PythonReferenceFile).GetProperty("steps_per_s").GetDouble();

    // WaveRnnModel's PyTorch version (WaveRnnModel.PythonReferenceFile, the module its reference test checks it against).
    private const string Script = """
import os, sys, time, json, torch, torch.nn.functional as F
threads, steps, B, S, hop, M, H, C, R = map(int, sys.argv[1:10])
sys.path.insert(0, os.path.dirname(sys.argv[10]))
from wavernn_reference import WaveRNN, CONTEXT
torch.set_num_threads(threads); torch.manual_seed(0)
m = WaveRNN(M, hop, H, C, R); opt = torch.optim.Adam(m.parameters(), lr=1e-3)
T = S * hop
mel = torch.randn(B, M, S + 2 * CONTEXT) - 4
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
