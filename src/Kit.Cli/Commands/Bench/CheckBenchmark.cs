using System.CommandLine;
using System.Diagnostics;
using Kit.Data.Checks;
using Kit.Data.Samples;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench check`: the dataset check's wall time on generated clips beside the time `cat` takes to
/// read the same files, both warm, in the same run. The goal is a check within 2x of the plain read.
/// </summary>
public sealed class CheckBenchmark : IKitBenchmark
{
    public Command Create()
    {
        var clips = new Option<int>("--clips") { Description = "Clips in the generated dataset", DefaultValueFactory = _ => 2000 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each; the best is reported", DefaultValueFactory = _ => 3 };
        var command = new Command("check", "Dataset check vs plain `cat` of the same files (generated espeak-ng clips, cached under build/bench/)")
        {
            clips, repeats,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            int count = pr.GetValue(clips), runs = Math.Max(1, pr.GetValue(repeats));
            var folder = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "bench", $"check-{count}"));
            var make = Stopwatch.StartNew();
            await ConsoleProgress.Items("generating clips", async progress =>
            {
                await SampleDataset.CreateAsync(folder, count, new Relay(progress, count), ct);
                return 0;
            });
            Console.WriteLine($"dataset: {count} clips in {folder} (ready in {make.Elapsed.TotalSeconds:0.0} s)");

            var files = Directory.GetFiles(Path.Combine(folder, "wavs"), "*.wav")
                .Concat(new[] { "metadata.csv", "train.txt", "val.txt" }.Select(f => Path.Combine(folder, f))).ToArray();
            long bytes = files.Sum(f => new FileInfo(f).Length);
            Console.WriteLine($"files: {files.Length:N0}, {Kit.Display.ByteSize.Format(bytes)}; warming the page cache");
            await Cat(files);

            var catBest = TimeSpan.MaxValue;
            var checkBest = TimeSpan.MaxValue;
            DatasetCheckReport? report = null;
            for (int i = 0; i < runs; i++)
            {
                var t = await Cat(files);
                if (t < catBest) catBest = t;
                var sw = Stopwatch.StartNew();
                report = DatasetCheck.Run(folder);
                sw.Stop();
                if (sw.Elapsed < checkBest) checkBest = sw.Elapsed;
            }
            Console.WriteLine($"clips checked: {report!.Summary.Clips:N0} ({report.Summary.TotalHours * 60:0.0} min of audio), {report.Summary.Errors} error(s), {report.Summary.Warnings} warning(s)");
            Console.WriteLine($"cat to /dev/null (warm, best of {runs}): {catBest.TotalSeconds:0.000} s");
            Console.WriteLine($"kit check        (warm, best of {runs}): {checkBest.TotalSeconds:0.000} s  on {Environment.ProcessorCount} cores");
            Console.WriteLine($"ratio check / cat: {checkBest / catBest:0.00}x  (goal: within 2x)");
            return 0;
        });
        return command;
    }

    /// <summary>Times `cat FILES > /dev/null` in one process (the shell redirects, so nothing is drained here).</summary>
    private static async Task<TimeSpan> Cat(string[] files)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec cat \"$@\" > /dev/null");
        psi.ArgumentList.Add("sh");
        foreach (var f in files) psi.ArgumentList.Add(f);
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        sw.Stop();
        if (p.ExitCode != 0) throw new InvalidOperationException($"cat failed: {await p.StandardError.ReadToEndAsync()}");
        return sw.Elapsed;
    }

    private sealed class Relay(IProgress<(int, int)> inner, int total) : IProgress<int>
    {
        public void Report(int value) => inner.Report((value, total));
    }
}
