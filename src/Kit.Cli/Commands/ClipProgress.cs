using Spectre.Console;

namespace Kit.Cli.Commands;

/// <summary>
/// Progress over a count of items: a Spectre.Console bar on a terminal, a plain line every 10% when output
/// is redirected (CI logs, notebooks), always on stderr so stdout stays the command's result.
/// </summary>
internal static class ClipProgress
{
    public static async Task<T> Run<T>(string label, Func<IProgress<(int Done, int Total)>, Task<T>> work)
    {
        if (!Console.IsErrorRedirected && !Console.IsOutputRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            T result = default!;
            await console.Progress().AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(label, maxValue: 1);
                    result = await work(new Callback((done, total) =>
                    {
                        task.MaxValue = Math.Max(1, total);
                        task.Value = done;
                    }));
                    task.Value = task.MaxValue;
                });
            return result;
        }
        int lastTenth = -1;
        var gate = new object();
        return await work(new Callback((done, total) =>
        {
            int tenth = total == 0 ? 10 : done * 10 / total;
            lock (gate)
            {
                if (tenth <= lastTenth) return;
                lastTenth = tenth;
            }
            Console.Error.WriteLine($"{label}: {done}/{total}");
        }));
    }

    // Progress<T> posts to a synchronization context; a direct callback reports from the worker threads at once.
    private sealed class Callback(Action<int, int> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value.Done, value.Total);
    }
}
