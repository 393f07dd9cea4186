using System.CommandLine;
using System.Diagnostics;
using Kit.Models.Spectrogram;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench memory`: trains the tiny spectrogram model (the models benchmark's batch) for N steps and prints
/// the process's resident memory after warm-up, at every tenth of the run and at the end. Goal: under 1% growth
/// after warm-up (a leak of one tensor per step shows as steady growth).
/// </summary>
public sealed class MemoryBenchmark : IKitBenchmark
{
    private const int Batch = 4, Tokens = 40, Frames = 160, Vocabulary = 40, Mels = 80, WarmUp = 100;

    public Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps after warm-up", DefaultValueFactory = _ => 10_000 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("memory", "Resident memory over a long spectrogram-tiny training run (start, every tenth, end)") { steps, threads };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            int n = Math.Max(1, pr.GetValue(steps));
            set_num_threads(pr.GetValue(threads));
            manual_seed(0);
            using var model = new TacotronModel(Vocabulary, Mels, SpectrogramModelSize.Tiny);
            using var opt = optim.Adam(model.parameters(), lr: 1e-3, eps: 1e-6, weight_decay: 1e-6, amsgrad: true);
            using var tokens = randint(3, Vocabulary, [Batch, Tokens]).DetachFromDisposeScope();
            using var targets = randn(Batch, Frames, Mels).DetachFromDisposeScope();
            var frames = Enumerable.Repeat((long)Frames, Batch).ToArray();
            var lengths = Enumerable.Repeat((long)Tokens, Batch).ToArray();
            void Step()
            {
                using var scope = NewDisposeScope();
                foreach (var p in model.parameters()) p.grad = null;
                var prediction = model.forward(tokens, targets);
                SpectrogramLosses.Compute(prediction, targets, frames, lengths, SpectrogramModelSize.Tiny.FramesPerStep, 0)["loss"].backward();
                opt.step();
            }
            Console.WriteLine($"spectrogram-tiny, batch {Batch}, {Frames} frames; {WarmUp} warm-up steps, then {n}");
            Console.WriteLine($"{"step",8} {"RSS [MiB]",10} {"growth",8} {"steps/s",8}");
            for (var i = 0; i < WarmUp; i++) Step();
            var start = RssMiB();
            Console.WriteLine($"{0,8} {start,10:0.0} {"",8} {"",8}");
            var sw = Stopwatch.StartNew();
            var every = Math.Max(1, n / 10);
            for (var i = 1; i <= n; i++)
            {
                if (ct.IsCancellationRequested) break;
                Step();
                if (i % every == 0 || i == n)
                {
                    var rss = RssMiB();
                    Console.WriteLine($"{i,8} {rss,10:0.0} {(rss - start) / start,8:+0.0%;-0.0%} {i / sw.Elapsed.TotalSeconds,8:0.0}");
                }
            }
            var end = RssMiB();
            Console.WriteLine($"RSS after warm-up {start:0.0} MiB, at the end {end:0.0} MiB: {(end - start) / start:+0.00%;-0.00%} (goal: under 1%)");
            return Task.FromResult(0);
        });
        return command;
    }

    private static double RssMiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
