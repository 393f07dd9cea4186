namespace Kit.TestSupport;

/// <summary>
/// The one bound a test puts on waiting for an event (a child's exit, a line it prints, a file, a redraw). Tests
/// wait for the event, never for a time: this bound only turns a hang into a failure, so it is far past anything a
/// loaded machine takes (a one-step `kit train` of the full spectrogram model took 4 minutes at load 16 on 2 cores,
/// and libtorch's intra-op threads make steps up to 60 times slower under stress-ng than quiet).
/// </summary>
public static class HangGuard
{
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    /// <summary>The failure a tripped guard reports: what never happened, and what was printed so far.</summary>
    public static string Message(string what, string printedSoFar = "") =>
        $"hang guard: {what} had not happened after {Limit.TotalMinutes:0} minutes (a bound on a hang, not a speed test)" +
        (printedSoFar.Length > 0 ? ":\n" + printedSoFar : "");

    /// <summary>Awaits <paramref name="task"/>, failing with <see cref="Message"/> if it hangs.</summary>
    public static async Task<T> Await<T>(Task<T> task, string what, Func<string>? printedSoFar = null)
    {
        await Await((Task)task, what, printedSoFar);
        return await task;
    }

    /// <summary>Awaits <paramref name="task"/>, failing with <see cref="Message"/> if it hangs.</summary>
    public static async Task Await(Task task, string what, Func<string>? printedSoFar = null)
    {
        try { await task.WaitAsync(Limit); }
        catch (TimeoutException) { Assert.Fail(Message(what, printedSoFar?.Invoke() ?? "")); }
    }

    /// <summary>
    /// Polls <paramref name="done"/> every 10 ms until it holds, failing with <see cref="Message"/> if it never does:
    /// for a state another thread or process reaches without an event to wait on (a file removed).
    /// </summary>
    public static void Until(Func<bool> done, string what, Func<string>? printedSoFar = null)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, Message(what, printedSoFar?.Invoke() ?? ""));
            Thread.Sleep(10); // a poll interval, not a wait for the state
        }
    }

    /// <summary>Waits on <paramref name="wait"/> (an event's wait taking a bound), failing with <see cref="Message"/> if it hangs.</summary>
    public static void Wait(Func<TimeSpan, bool> wait, string what, Func<string>? printedSoFar = null) =>
        Assert.True(wait(Limit), Message(what, printedSoFar?.Invoke() ?? ""));
}
