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
/// WaveRNN synthesis's real-time factor (<see cref="Synthesis"/>).
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

    /// <summary>One synthesis setting's figures: wall and CPU seconds per second of audio (medians), and the loop's shape.</summary>
    public sealed record SynthesisFigures(double RealTimeFactor, double CpuSecondsPerSecond, long Folds, long Steps, double MeasuredSeconds);

    /// <summary>
    /// WaveRNN synthesis of <paramref name="seconds"/> of audio with an untrained model of <paramref name="size"/>
    /// (the work does not depend on the weights) on a random spectrogram, median of <paramref name="repeats"/>.
    /// Unfolded, a step's cost does not depend on the length, so the caller may give a shorter clip.
    /// </summary>
    public static SynthesisFigures Synthesis(SignalModelSize size, Kit.Models.Features.MelSettings mel, double seconds, SignalFolding folding, int threads, int repeats)
    {
        manual_seed(0);
        var model = new WaveRnnModel(mel.NMels, mel.HopLength, Math.Log(mel.LogFloor), size);
        model.eval();
        using var synthesizer = new SignalSynthesizer(model, new SignalModelConfig { Size = size, Mel = mel }, CPU) { Folding = folding, CpuThreads = threads };
        long frames = (long)(seconds * mel.SampleRate / mel.HopLength);
        using var spectrogram = (randn(mel.NMels, frames) - 4).DetachFromDisposeScope();
        var wall = new List<double>();
        var cpu = new List<double>();
        var audioSeconds = 0.0;
        for (var r = 0; r < Math.Max(1, repeats); r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            audioSeconds = synthesizer.Synthesize([spectrogram])[0].Length / (double)mel.SampleRate;
            wall.Add(sw.Elapsed.TotalSeconds / audioSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / audioSeconds);
        }
        // The loop's shape as Synthesize cuts it: folds of (fold + 2·overlap) frames every fold + overlap frames.
        long stride = folding.FoldFrames + folding.OverlapFrames, foldLength = folding.FoldFrames + 2L * folding.OverlapFrames;
        var folds = folding.Enabled ? Math.Max(1, (frames - folding.OverlapFrames + stride - 1) / stride) : 1;
        return new SynthesisFigures(Median(wall), Median(cpu), folds, (folding.Enabled ? foldLength : frames) * mel.HopLength, audioSeconds);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

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
