using System.CommandLine;
using System.Diagnostics;
using Kit.Models.Features;
using Kit.Models.Signal;
using Kit.Models.Spectrogram;
using Kit.Models.Synthesis;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench models`: training steps/s of the tiny spectrogram model from the kit beside the same model
/// written in PyTorch (Debian's /usr/bin/python3 or --python, same threads, same synthetic batch),
/// taking turns round by round and keeping each side's best; the same for the tiny signal model (WaveRNN,
/// <see cref="SignalModelBench"/>); then the real-time factors of Griffin-Lim and of WaveRNN synthesis.
/// Goals against current PyTorch (Debian 13's 2.6 with OpenBLAS, scripts/torch26-root.sh): both trainings at
/// least 1.5x; WaveRNN signal-tiny synthesis at a real-time factor under 0.5.
/// </summary>
public sealed class ModelsBenchmark : IKitBenchmark
{
    private const int Batch = TinySpectrogramTraining.Batch, Tokens = TinySpectrogramTraining.Tokens,
        Frames = TinySpectrogramTraining.Frames, Mels = TinySpectrogramTraining.Mels;

    public Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both sides", DefaultValueFactory = _ => Environment.ProcessorCount };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per round", DefaultValueFactory = _ => 5 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating kit/Python rounds", DefaultValueFactory = _ => 2 };
        var python = PythonReference.Option();
        var synthesisOnly = new Option<bool>("--synthesis-only") { Description = "Only the synthesis real-time factors (no training rounds, no Python)" };
        var seconds = new Option<double>("--synthesis-seconds") { Description = "Seconds of audio each folded WaveRNN synthesis makes", DefaultValueFactory = _ => 10 };
        var repeats = new Option<int>("--synthesis-repeats") { Description = "Syntheses per setting; the median is printed", DefaultValueFactory = _ => 3 };
        var sizes = new Option<string[]>("--synthesis-models") { Description = "Signal models whose synthesis is measured", DefaultValueFactory = _ => ["signal-tiny", "signal-full"], AllowMultipleArgumentsPerToken = true };
        sizes.AcceptOnlyFromAmong("signal-tiny", "signal-full");
        var command = new Command("models", "Tiny spectrogram and signal model training steps/s, kit vs PyTorch; synthesis real-time factors")
            { threads, steps, rounds, python, synthesisOnly, seconds, repeats, sizes };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            int n = pr.GetValue(threads), st = Math.Max(1, pr.GetValue(steps));
            set_num_threads(n);
            if (pr.GetValue(synthesisOnly))
            {
                PrintSynthesis(pr.GetValue(seconds), pr.GetValue(repeats), pr.GetValue(sizes)!);
                return Task.FromResult(0);
            }
            PythonReference.Python = pr.GetValue(python)!;
            Console.WriteLine(PythonReference.Versions());
            Console.WriteLine($"threads: {get_num_threads()} (both sides); batch {Batch}, {Tokens} tokens, {Frames} frames, {Mels} mel bins");
            Console.WriteLine($"signal model: {SignalModelBench.Shape}");
            double kit = 0, py = 0, signalKit = 0, signalPy = 0;
            for (var r = 1; r <= Math.Max(1, pr.GetValue(rounds)); r++)
            {
                Console.WriteLine($"round {r}: kit...");
                kit = Math.Max(kit, KitStepsPerSecond(st));
                signalKit = Math.Max(signalKit, SignalModelBench.KitStepsPerSecond(st));
                Console.WriteLine($"round {r}: python...");
                py = Math.Max(py, PythonStepsPerSecond(n, st));
                signalPy = Math.Max(signalPy, SignalModelBench.PythonStepsPerSecond(n, st));
            }
            Console.WriteLine();
            Console.WriteLine($"{"measurement",-44} {"kit (C#)",10} {"python",10} {"kit/python",11}  goal");
            Console.WriteLine($"{"spectrogram-tiny training [steps/s]",-44} {kit,10:0.00} {py,10:0.00} {kit / py,10:0.00}x  >= 1.5x vs PyTorch {PythonReference.GoalTorch}");
            Console.WriteLine($"{"signal-tiny training [steps/s]",-44} {signalKit,10:0.00} {signalPy,10:0.00} {signalKit / signalPy,10:0.00}x  >= 1.5x vs PyTorch {PythonReference.GoalTorch}");
            Console.WriteLine($"{"Griffin-Lim, 32 iterations [real-time factor]",-44} {GriffinLimRealTimeFactor(),10:0.000}");
            Console.WriteLine();
            PrintSynthesis(pr.GetValue(seconds), pr.GetValue(repeats), pr.GetValue(sizes)!);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// WaveRNN synthesis of both signal sizes: folded (the synthesizer's default folds) on one and on two threads,
    /// and unfolded on one, whose cost per second of audio does not depend on the length (so a shorter clip
    /// is measured: 1 s of signal-tiny, 0.25 s of signal-full).
    /// </summary>
    private static void PrintSynthesis(double seconds, int repeats, string[] models)
    {
        var cpu = OneDnnCheckKey.Current();
        Console.WriteLine($"WaveRNN synthesis, untrained weights on a random spectrogram; {cpu.CpuModel} ({Environment.ProcessorCount} cores, {cpu.VectorIsa}); " +
                          $"median of {repeats}; load average {LoadAverage()} before");
        Console.WriteLine($"{"model, folding",-40} {"threads",7} {"folds",6} {"steps",7} {"real-time factor",17} {"CPU s per s",12}  goal");
        var folded = SignalFolding.Default;
        foreach (var (name, size, mel, unfoldedSeconds, goal) in new[]
                 {
                     ("signal-tiny", SignalModelSize.Tiny, MelSettings.Tiny, 1.0, "< 0.5"),
                     ("signal-full", SignalModelSize.Full, MelSettings.WellSaid, 0.25, ""),
                 }.Where(m => models.Contains(m.Item1)))
        {
            foreach (var (folding, threads, length) in new[] { (folded, 1, seconds), (folded, 2, seconds), (SignalFolding.Off, 1, unfoldedSeconds) })
            {
                var f = SignalModelBench.Synthesis(size, mel, length, folding, threads, repeats);
                var how = folding.Enabled ? $"folds of {folding.FoldFrames}+2x{folding.OverlapFrames} frames, {length:0.##} s" : $"unfolded, {f.MeasuredSeconds:0.##} s";
                Console.WriteLine($"{name + ", " + how,-40} {threads,7} {f.Folds,6} {f.Steps,7} {f.RealTimeFactor,17:0.000} {f.CpuSecondsPerSecond,12:0.000}  {(folding.Enabled ? goal : "")}");
            }
        }
        Console.WriteLine($"load average {LoadAverage()} after");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double KitStepsPerSecond(int steps)
    {
        using var training = new TinySpectrogramTraining();
        void Step() => training.Step();
        Step();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) Step();
        return steps / sw.Elapsed.TotalSeconds;
    }

    private static double GriffinLimRealTimeFactor()
    {
        var mel = new Kit.Models.Features.MelSettings();
        using var logMel = randn(mel.NMels, 400) - 4;
        var sw = Stopwatch.StartNew();
        var samples = GriffinLim.Synthesize(logMel, mel);
        return sw.Elapsed.TotalSeconds / (samples.Length / (double)mel.SampleRate);
    }

    private static double PythonStepsPerSecond(int threads, int steps) =>
        PythonReference.Run(threads, "-c", Script, threads, steps).GetProperty("steps_per_s").GetDouble();

    // The same architecture and sizes as TacotronModel with SpectrogramModelSize.Tiny, layer for layer.
    private const string Script = """
import sys, time, json, torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1])); steps = int(sys.argv[2]); torch.manual_seed(0)
B, N, T, V, M, R = 4, 40, 160, 40, 80, 4
E, L, A, LF, LK, P, AL, DL, PN = 64, 32, 32, 8, 15, 64, 128, 128, 64
class Taco(nn.Module):
    def __init__(s):
        super().__init__()
        s.emb = nn.Embedding(V, E, padding_idx=0)
        s.convs = nn.ModuleList([nn.Conv1d(E, E, 5, padding=2) for _ in range(2)]); s.norms = nn.ModuleList([nn.BatchNorm1d(E) for _ in range(2)])
        s.lstm = nn.LSTM(E, L, batch_first=True, bidirectional=True)
        s.p1 = nn.Linear(M, P); s.p2 = nn.Linear(P, P)
        s.alstm = nn.LSTMCell(P + 2 * L, AL); s.dlstm = nn.LSTMCell(AL + 2 * L, DL)
        s.q = nn.Linear(AL, A, bias=False); s.mem = nn.Linear(2 * L, A, bias=False)
        s.lconv = nn.Conv1d(2, LF, LK, padding=(LK - 1) // 2, bias=False); s.loc = nn.Linear(LF, A, bias=False); s.v = nn.Linear(A, 1)
        s.proj = nn.Linear(DL + 2 * L, M * R); s.stop = nn.Linear(DL + 2 * L, 1)
        ch = [M, PN, PN, M]
        s.post = nn.ModuleList([nn.Conv1d(ch[i], ch[i + 1], 5, padding=2) for i in range(3)]); s.pnorm = nn.ModuleList([nn.BatchNorm1d(ch[i + 1]) for i in range(3)])
    def forward(s, tok, tgt):
        x = s.emb(tok).transpose(1, 2)
        for c, n in zip(s.convs, s.norms): x = F.dropout(F.relu(n(c(x))), 0.1, s.training)
        memory = s.lstm(x.transpose(1, 2))[0]; pm = s.mem(memory); pad = tok.eq(0)
        steps = tgt.shape[1] // R
        last = tgt[:, R - 1::R][:, :steps - 1]
        pre = torch.cat([torch.zeros(B, 1, M), last], 1)
        pre = F.dropout(F.relu(s.p2(F.dropout(F.relu(s.p1(pre)), 0.5, True))), 0.5, True)
        ah, ac, dh, dc = torch.zeros(B, AL), torch.zeros(B, AL), torch.zeros(B, DL), torch.zeros(B, DL)
        w, cum, ctx = torch.zeros(B, N), torch.zeros(B, N), torch.zeros(B, 2 * L)
        frames, stops = [], []
        for t in range(steps):
            ah, ac = s.alstm(torch.cat([pre[:, t], ctx], 1), (ah, ac))
            loc = s.loc(s.lconv(torch.stack([w, cum], 1)).transpose(1, 2))
            e = s.v(torch.tanh(s.q(ah).unsqueeze(1) + loc + pm)).squeeze(-1).masked_fill(pad, float('-inf'))
            w = e.softmax(-1); ctx = torch.bmm(w.unsqueeze(1), memory).squeeze(1); cum = cum + w
            dh, dc = s.dlstm(torch.cat([ah, ctx], 1), (dh, dc))
            h = torch.cat([dh, ctx], 1); frames.append(s.proj(h)); stops.append(s.stop(h))
        prf = torch.stack(frames, 1).reshape(B, -1, M)
        y = prf.detach().transpose(1, 2)
        for i, (c, n) in enumerate(zip(s.post, s.pnorm)):
            y = n(c(y))
            if i < 2: y = torch.tanh(y)
            y = F.dropout(y, 0.1, s.training)
        return prf, prf + y.transpose(1, 2), torch.cat(stops, 1)
m = Taco(); opt = torch.optim.Adam(m.parameters(), lr=1e-3, eps=1e-6, weight_decay=1e-6, amsgrad=True)
tok = torch.randint(3, V, (B, N)); tgt = torch.randn(B, T, M); stop_t = (torch.arange(T // R) >= T // R - 1).float().expand(B, -1)
def step():
    opt.zero_grad(); pre, post, stop = m(tok, tgt)
    loss = F.mse_loss(pre, tgt) + F.mse_loss(post, tgt) + F.binary_cross_entropy_with_logits(stop, stop_t)
    loss.backward(); opt.step()
step(); t0 = time.perf_counter()
for _ in range(steps): step()
print(json.dumps({"steps_per_s": steps / (time.perf_counter() - t0)}))
""";
}
