using System.CommandLine;
using System.Diagnostics;
using static TorchSharp.torch;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench memory`: trains the tiny spectrogram model (the models benchmark's batch) for N steps and prints
/// the process's resident memory after warm-up, at every tenth of the run and at the end. Goal: under 1% growth
/// after warm-up (a leak of one tensor per step shows as steady growth).
/// </summary>
public sealed class MemoryBenchmark : IKitBenchmark
{
    private const int WarmUp = 100;

    public Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps after warm-up", DefaultValueFactory = _ => 10_000 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("memory", "Resident memory over a long spectrogram-tiny training run (start, every tenth, end)") { steps, threads };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            int n = Math.Max(1, pr.GetValue(steps));
            set_num_threads(pr.GetValue(threads));
            using var training = new TinySpectrogramTraining();
            void Step() => training.Step();
            Console.WriteLine($"spectrogram-tiny, batch {TinySpectrogramTraining.Batch}, {TinySpectrogramTraining.Frames} frames; {WarmUp} warm-up steps, then {n}");
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
