using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench torch`: the tensor engine (TorchSharp) beside Python's torch (Debian's /usr/bin/python3 with
/// torch 1.13, or --python PATH), same thread count, one run: (a) 1024² float32 matmul GFLOP/s, (d) the same product as a
/// linear layer under CPU bf16 autocast, (b) per-op overhead of an add on one element, (c) one training
/// step (forward, backward, Adam) of a Tacotron-sized LSTM stack. Goals against current PyTorch (Debian 13's 2.6
/// with OpenBLAS, scripts/torch26-root.sh): matmul at least 1x, the LSTM step at least 1.25x, per-op overhead at
/// most Python's. Each figure is the best of its repetitions on both sides, so other load on the machine disturbs
/// it least. The header names each side's BLAS and oneDNN state. Last, (e) checks libtorch's oneDNN convolutions
/// on this CPU against float64 with oneDNN on and off: the check TorchEngine runs once per CPU to decide.
/// </summary>
public sealed class TorchBenchmark : IKitBenchmark
{

    public Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both sides", DefaultValueFactory = _ => Environment.ProcessorCount };
        var mmIters = new Option<int>("--matmul-iters") { Description = "Timed 1024x1024 matmuls", DefaultValueFactory = _ => 30 };
        var opIters = new Option<int>("--op-iters") { Description = "Timed one-element adds", DefaultValueFactory = _ => 200_000 };
        var steps = new Option<int>("--steps") { Description = "Timed LSTM training steps", DefaultValueFactory = _ => 5 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating C#/Python rounds; each side's best counts", DefaultValueFactory = _ => 2 };
        var python = PythonReference.Option();
        var command = new Command("torch", "TorchSharp vs Python torch: matmul GFLOP/s, per-op overhead, LSTM training step, bf16-autocast linear") { threads, mmIters, opIters, steps, rounds, python };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            int n = pr.GetValue(threads), mm = pr.GetValue(mmIters), ops = pr.GetValue(opIters), st = pr.GetValue(steps);
            set_num_threads(n);
            PythonReference.Python = pr.GetValue(python)!;
            Console.WriteLine(PythonReference.Versions());
            Console.WriteLine($"threads: {get_num_threads()} (both sides)");
            // The sides take turns, round by round, and each keeps its best figure: load from other
            // processes then falls on both alike rather than on whichever ran second.
            double kitMm = 0, kitBf16 = 0, pyBf16 = 0, kitOp = double.MaxValue, kitStep = double.MaxValue, pyMm = 0, pyOp = double.MaxValue, pyStep = double.MaxValue;
            for (int r = 1; r <= Math.Max(1, pr.GetValue(rounds)); r++)
            {
                Console.WriteLine($"round {r}: C# side...");
                kitMm = Math.Max(kitMm, Matmul(mm));
                kitBf16 = Math.Max(kitBf16, Bf16Linear(mm));
                kitOp = Math.Min(kitOp, OpOverhead(ops));
                kitStep = Math.Min(kitStep, TrainStep(st));
                Console.WriteLine($"round {r}: Python side...");
                var py = RunPython(n, mm, ops, st);
                pyMm = Math.Max(pyMm, py.GetProperty("matmul_gflops").GetDouble());
                pyBf16 = Math.Max(pyBf16, py.GetProperty("bf16_linear_gflops").GetDouble());
                pyOp = Math.Min(pyOp, py.GetProperty("op_us").GetDouble());
                pyStep = Math.Min(pyStep, py.GetProperty("train_step_ms").GetDouble());
            }
            Console.WriteLine();
            Console.WriteLine($"{"measurement",-42} {"kit (C#)",12} {"python",12} {"kit/python",11}  goal");
            Row("(a) matmul 1024x1024 f32 [GFLOP/s]", kitMm, pyMm, higherIsBetter: true, $">= 1x vs PyTorch {PythonReference.GoalTorch}");
            Row("(b) add on 1 element [us/op]", kitOp, pyOp, higherIsBetter: false, $"<= 1x vs PyTorch {PythonReference.GoalTorch}");
            Row("(c) LSTM 2x512, B16 T100 step [ms]", kitStep, pyStep, higherIsBetter: false, $">= 1.25x faster vs PyTorch {PythonReference.GoalTorch}");
            Row("(d) linear 1024x1024, bf16 autocast [GFLOP/s]", kitBf16, pyBf16, higherIsBetter: true, $">= 1x vs PyTorch {PythonReference.GoalTorch}");
            Console.WriteLine();
            Console.WriteLine($"(e) conv1d against float64 (worst relative error; oneDNN is {(TorchEngine.mkldnn_enabled() ? "on" : "off")} in this process; " +
                $"passes below {OneDnnVerdict.InputGradientBound:0e+0} float32, {OneDnnVerdict.Bf16OutputBound:0e+0} bfloat16):");
            foreach (var (on, label) in new[] { (true, "oneDNN on "), (false, "oneDNN off") })
            {
                var (grad, bf16) = OneDnnConvCheck.WorstErrors(on);
                Console.WriteLine($"    {label}: float32 input gradient {Error(grad)}, bfloat16 output {Error(bf16)}");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Error(double relative) => double.IsInfinity(relative) ? "NaN in the result" : relative.ToString("0.0e+0");

    private static void Row(string what, double kit, double py, bool higherIsBetter, string goal)
    {
        var ratio = kit / py;
        var speed = higherIsBetter ? ratio : 1 / ratio;
        Console.WriteLine($"{what,-42} {kit,12:0.00} {py,12:0.00} {ratio,10:0.00}x  {goal} (kit is {speed:0.00}x as fast)");
    }

    private static double Matmul(int iters)
    {
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        for (int i = 0; i < 3; i++) a.matmul(b).Dispose();
        var best = double.MaxValue;
        for (int i = 0; i < iters; i++)
        {
            var sw = Stopwatch.StartNew();
            a.matmul(b).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * Math.Pow(1024, 3) / best / 1e9;
    }

    /// <summary>As the trainer runs a layer under bf16 autocast: a float32 parameter, cast once (the scope's cache), times a float32 input.</summary>
    private static double Bf16Linear(int iters)
    {
        using var scope = NewDisposeScope();
        var x = randn(1024, 1024);
        var w = randn(1024, 1024).requires_grad_(true);
        using var _ = no_grad();
        using var precision = amp.autocast(DeviceType.CPU, bfloat16);
        for (int i = 0; i < 3; i++) nn.functional.linear(x, w).Dispose();
        var best = double.MaxValue;
        for (int i = 0; i < iters; i++)
        {
            var sw = Stopwatch.StartNew();
            nn.functional.linear(x, w).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * Math.Pow(1024, 3) / best / 1e9;
    }

    private static double OpOverhead(int iters)
    {
        using var x = ones(1);
        using var y = ones(1);
        for (int i = 0; i < 1000; i++) (x + y).Dispose();
        var best = double.MaxValue;
        for (int round = 0; round < 10; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < iters / 10; i++) (x + y).Dispose();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / (iters / 10));
        }
        return best;
    }

    private static double TrainStep(int steps)
    {
        manual_seed(0);
        using var lstm = nn.LSTM(80, 512, numLayers: 2, batchFirst: true);
        using var head = nn.Linear(512, 80);
        using var opt = optim.Adam(lstm.parameters().Concat(head.parameters()), 1e-3);
        using var input = randn(16, 100, 80).DetachFromDisposeScope();
        using var target = randn(16, 100, 80).DetachFromDisposeScope();
        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var (o, _, _) = lstm.forward(input);
            nn.functional.mse_loss(head.forward(o), target).backward();
            opt.step();
        }
        for (int i = 0; i < 2; i++) Step();
        var best = double.MaxValue;
        for (int i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            Step();
            best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
        }
        return best;
    }

    private static JsonElement RunPython(int threads, int mm, int ops, int steps) =>
        PythonReference.Run(threads, Path.Combine(AppContext.BaseDirectory, "kit-torch", "torch_bench.py"), threads, mm, ops, steps);
}
