using Kit.Export;
using Spectre.Console;

namespace Kit.Cli.Commands;

/// <summary>
/// Progress of a long command, always on stderr so stdout stays the command's result: Spectre.Console bars on a
/// terminal, plain lines when output is redirected (CI logs, notebooks). <see cref="Items"/> counts clips,
/// <see cref="Transfer"/> counts bytes by phase; both are this one loop with their own bar and line.
/// </summary>
internal static class ConsoleProgress
{
    /// <summary>A count of items (clips): one bar with percentage and time left; a plain line every 10%.</summary>
    public static Task<T> Items<T>(string label, Func<IProgress<(int Done, int Total)>, Task<T>> work)
    {
        var lastTenth = -1;
        return Run<(int Done, int Total), T>(
            [new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn()],
            (tasks, p) =>
            {
                var task = tasks(label, p.Total);
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
            },
            p =>
            {
                var tenth = p.Total == 0 ? 10 : p.Done * 10 / p.Total;
                if (tenth <= lastTenth) return null;
                lastTenth = tenth;
                return $"{label}: {p.Done}/{p.Total}";
            },
            work);
    }

    /// <summary>Bytes by phase (export, import): a bar per phase with bytes, rate and time left; a plain line every 5 s of a phase.</summary>
    public static Task<T> Transfer<T>(Func<IProgress<TransferProgress>, Task<T>> work)
    {
        var started = DateTime.UtcNow;
        var last = DateTime.MinValue;
        string? lastPhase = null;
        return Run<TransferProgress, T>(
            [new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn()],
            (tasks, p) =>
            {
                var task = tasks(p.Phase, p.Total);
                task.MaxValue = Math.Max(1, Math.Max(p.Total, p.Done));
                task.Value = p.Done;
                task.Description = p.File is null ? p.Phase : $"{p.Phase} {Markup.Escape(p.File)}";
            },
            p =>
            {
                var now = DateTime.UtcNow;
                if (p.Phase == lastPhase && now - last < TimeSpan.FromSeconds(5) && p.Done < p.Total) return null;
                if (p.Phase != lastPhase) started = now;
                lastPhase = p.Phase;
                last = now;
                return p.Describe(now - started);
            },
            work);
    }

    /// <param name="bar">Updates the bars; its first argument gives the bar of a name, added on first use with that maximum.</param>
    /// <param name="line">The plain line for a report, or null to stay quiet; called under a lock.</param>
    private static async Task<T> Run<TProgress, T>(ProgressColumn[] columns, Action<Func<string, double, ProgressTask>, TProgress> bar,
        Func<TProgress, string?> line, Func<IProgress<TProgress>, Task<T>> work)
    {
        var gate = new object();
        if (Console.IsErrorRedirected || Console.IsOutputRedirected)
            return await work(new Callback<TProgress>(p =>
            {
                string? text;
                lock (gate) text = line(p);
                if (text is not null) Console.Error.WriteLine(text);
            }));

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        await console.Progress().AutoClear(true).Columns(columns).StartAsync(async ctx =>
        {
            var tasks = new Dictionary<string, ProgressTask>();
            ProgressTask Task(string name, double max) =>
                tasks.TryGetValue(name, out var task) ? task : tasks[name] = ctx.AddTask(name, maxValue: Math.Max(1, max));
            result = await work(new Callback<TProgress>(p => { lock (gate) bar(Task, p); }));
            foreach (var task in tasks.Values) task.Value = task.MaxValue;
        });
        return result;
    }

    // Progress<T> posts to a synchronization context; a direct callback reports from the worker threads at once.
    private sealed class Callback<TProgress>(Action<TProgress> report) : IProgress<TProgress>
    {
        public void Report(TProgress value) => report(value);
    }
}
