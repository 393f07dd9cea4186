using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kit.TestSupport;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Notebook 03's cells, top to bottom, on the real C# kernel (Microsoft.DotNet.Interactive, in process) with a run
/// config from `kit params`: Run All trains until the run ends or its training cell is stopped. The stop button is
/// what VS Code sends, a Cancel command to the kernel while the cell runs. The run's step limit is two billion steps of
/// the tiny-duration recipe, so the stop always lands while it trains: no step count races the test.
/// </summary>
public sealed class TrainNotebookKernelTests : IDisposable
{
    private readonly TempDir _dir = new("kit-nb03");

    public void Dispose() => _dir.Dispose();

    /// <summary>The cells of notebooks/03-train.ipynb as a user at <paramref name="runFolder"/> would edit them: the parameters cell's defaults name the config and run folder, and the kit loads from the repository's build.</summary>
    private static List<string> Cells(string configPath, string runFolder)
    {
        var nb = NotebookFile.Read(Path.Combine(RepoPaths.Root, "notebooks", "03-train.ipynb"));
        var cells = ((JsonArray)nb["cells"]!).Select(c => (JsonObject)c!)
            .Where(c => (string?)c["cell_type"] == "code").Select(c => NotebookFile.Text(c["source"])).ToList();
        string Edit(string source, string from, string to)
        {
            Assert.Contains(from, source);
            return source.Replace(from, to, StringComparison.Ordinal);
        }
        var kitCsx = Path.Combine(RepoPaths.KitBuild, "kit.csx");
        cells[0] = Edit(cells[0], "#load \"../build/kit/kit.csx\"", $"#load \"{kitCsx}\"");
        cells[0] = Edit(cells[0], "Parameter(\"configPath\", \"\")", $"Parameter(\"configPath\", @\"{configPath}\")");
        cells[0] = Edit(cells[0], "Parameter(\"runFolder\", \"\")", $"Parameter(\"runFolder\", @\"{runFolder}\")");
        return cells;
    }

    /// <summary>A real run config: `kit params` on the built-in sample speech, tiny-duration, a step limit no test reaches.</summary>
    private string Config()
    {
        var dataset = _dir["dataset"];
        var (code, _, err) = KitCli.Run("sample-dataset", dataset, "--clips", "12");
        Assert.True(code == 0, err);
        (code, _, err) = KitCli.Run("params", dataset, "--recipe", "tiny-duration", "--set", "TotalSteps=2000000000", "--out", _dir["params"]);
        Assert.True(code == 0, err);
        return Path.Combine(_dir["params"], "run.yml");
    }

    private static CompositeKernel Kernel() => new() { new CSharpKernel().UseKernelHelpers() };

    private static async Task<KernelCommandResult> Submit(Kernel kernel, string code)
    {
        var result = await kernel.SendAsync(new SubmitCode(code, "csharp"));
        var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
        Assert.True(failed is null, $"the cell failed: {failed?.Message}\n{code}");
        return result;
    }

    private static string Value(KernelCommandResult result) =>
        result.Events.OfType<ReturnValueProduced>().Single().FormattedValues.First(v => v.MimeType == "text/plain").Value;

    /// <summary>The step of the run's newest saved checkpoint folder, or 0.</summary>
    private static long NewestCheckpoint(string runFolder)
    {
        var folder = Path.Combine(runFolder, "checkpoints");
        return !Directory.Exists(folder) ? 0 : Directory.GetDirectories(folder, "step-*")
            .Select(d => Regex.Match(Path.GetFileName(d), @"^step-(\d+)$")).Where(m => m.Success)
            .Select(m => long.Parse(m.Groups[1].Value)).DefaultIfEmpty(0).Max();
    }

    /// <summary>
    /// Waits until the run has saved a checkpoint, so it is known to train (an event, not a time: the limit only
    /// turns a hang into a failure), or until <paramref name="cell"/> ends, which the caller then reports.
    /// </summary>
    private static async Task FirstCheckpoint(string runFolder, Task? cell)
    {
        var deadline = DateTime.UtcNow + HangGuard.Limit;
        while (NewestCheckpoint(runFolder) == 0 && cell?.IsCompleted != true && DateTime.UtcNow < deadline) await Task.Delay(50); // a poll interval
        Assert.True(NewestCheckpoint(runFolder) > 0 || cell?.IsCompleted == true, HangGuard.Message($"a checkpoint in {runFolder}"));
    }

    /// <summary>Hears the kernel's displays; <see cref="Seen"/> completes at the first whose text contains <paramref name="text"/>.</summary>
    private sealed class DisplayWatch : IObserver<KernelEvent>, IDisposable
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _text;
        private readonly IDisposable _subscription;

        public DisplayWatch(Kernel kernel, string text)
        {
            _text = text;
            _subscription = kernel.KernelEvents.Subscribe(this);
        }

        /// <summary>Waits for the display, or for <paramref name="cell"/> to end without it (a failure); the bound only turns a hang into a failure.</summary>
        public async Task Seen(Task cell)
        {
            var first = await Task.WhenAny(_seen.Task, cell, Task.Delay(HangGuard.Limit));
            Assert.True(first == _seen.Task, cell.IsCompleted ? "the training cell ended without a line about its stop button"
                : HangGuard.Message("the training cell's line about its stop button"));
        }

        public void OnNext(KernelEvent e)
        {
            if (e is DisplayEvent d && d.FormattedValues.Any(v => v.Value.Contains(_text, StringComparison.Ordinal))) _seen.TrySetResult();
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void Dispose() => _subscription.Dispose();
    }

    [Fact]
    public async Task Run_all_trains_until_the_training_cells_stop_button_and_the_run_saves_the_step_it_stopped_at()
    {
        var runFolder = _dir["run"];
        var cells = Cells(Config(), runFolder);
        var train = cells.FindIndex(c => c.Contains("run.WaitAsync(", StringComparison.Ordinal));
        Assert.True(train > 0, "notebook 03 has no cell that waits on the run");
        using var kernel = Kernel();
        for (var i = 0; i < train; i++) await Submit(kernel, cells[i]);

        // Run All reaches the training cell, which waits while the run trains; its stop button is pressed once a
        // checkpoint shows the run trains and the cell's code runs (its first line displays what the button does:
        // a button pressed while the cell still compiles cancels code that never ran, and the run trains on).
        using var running = new DisplayWatch(kernel, "stop button");
        var training = kernel.SendAsync(new SubmitCode(cells[train], "csharp"));
        await FirstCheckpoint(runFolder, training);
        await running.Seen(training);
        Assert.False(training.IsCompleted, "the training cell returned before its stop button was pressed: it should wait on the run");
        await kernel.SendAsync(new Cancel());
        await training;

        // The cells below: where it stopped (waits for the final checkpoint), then what the run wrote.
        var outcome = cells.FindIndex(train, c => c.Contains("await run.Completion", StringComparison.Ordinal));
        Assert.True(outcome > train, "notebook 03 has no cell after training that shows where the run stopped");
        for (var i = train + 1; i < outcome; i++) await Submit(kernel, cells[i]);
        // A stop button that did not reach the run would leave this cell waiting for two billion steps: after a
        // bound that only turns that hang into a failure, the STOP file ends the run and the test fails.
        using (var hang = new CancellationTokenSource(HangGuard.Limit))
        {
            KernelCommandResult? waited = null;
            try { waited = await kernel.SendAsync(new SubmitCode(cells[outcome], "csharp"), hang.Token); }
            catch (OperationCanceledException) { }
            if (waited is null || hang.IsCancellationRequested)
            {
                File.WriteAllText(Path.Combine(runFolder, "STOP"), "");
                Assert.Fail(HangGuard.Message("the stop of the run by the training cell's stop button"));
            }
            Assert.Empty(waited.Events.OfType<CommandFailed>());
        }
        for (var i = outcome + 1; i < cells.Count; i++) await Submit(kernel, cells[i]);
        var stopped = Value(await Submit(kernel, "$\"{result.Step}|{result.LastCheckpointStep}|{result.StopReason}\""));
        var parts = stopped.Split('|');
        var step = long.Parse(parts[0]);
        // The reason's text as the kit in the kernel names it: this project tests notebooks and references no trainer.
        Assert.Equal(Value(await Submit(kernel, "Kit.Training.Loop.TrainingRun.StopButtonReason")), parts[2]);
        Assert.Equal(parts[0], parts[1]);
        Assert.True(step < 2_000_000_000, stopped);
        Assert.Equal(step, NewestCheckpoint(runFolder));
        Assert.True(File.Exists(Path.Combine(runFolder, "checkpoints", $"step-{step:D9}", "model.pth")), $"no weights for step {step}");
    }

    [Fact]
    public async Task Run_stop_from_another_cell_still_stops_a_run_started_alone()
    {
        var runFolder = _dir["run"];
        var cells = Cells(Config(), runFolder);
        var start = cells.FindIndex(c => c.Contains("Trainer.Start(", StringComparison.Ordinal));
        using var kernel = Kernel();
        for (var i = 0; i <= start; i++) await Submit(kernel, cells[i]);
        await FirstCheckpoint(runFolder, null);
        await Submit(kernel, "run.Stop();");
        var stopped = Value(await Submit(kernel, "var result = await run.Completion; $\"{result.Step}|{result.LastCheckpointStep}|{result.StopReason}\""));
        var parts = stopped.Split('|');
        Assert.Equal("run.Stop() was called", parts[2]);
        Assert.Equal(parts[0], parts[1]);
        Assert.Equal(long.Parse(parts[0]), NewestCheckpoint(runFolder));
    }
}
