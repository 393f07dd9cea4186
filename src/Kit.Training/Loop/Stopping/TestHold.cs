namespace Kit.Training.Loop.Stopping;

/// <summary>
/// A hook for tests that stop a `kit train` child mid-run: with KIT_TEST_HOLD_AFTER_STEP=N in its environment,
/// the run trains N steps and then waits for a stop (a signal, a STOP file, a spot notice) before it goes on.
/// A tiny-recipe step takes microseconds, so without it a run could reach its step limit before the test's
/// signal landed; with it, the run stops at step N however late the signal comes. Unset (outside tests), it
/// costs one environment read per process.
/// </summary>
internal static class TestHold
{
    public const string Variable = "KIT_TEST_HOLD_AFTER_STEP";

    private static readonly long? HoldStep = long.TryParse(Environment.GetEnvironmentVariable(Variable), out var n) ? n : null;

    public static void AtStep(long step, StopSignal stop)
    {
        if (HoldStep != step || stop.IsRequested) return;
        using var requested = new ManualResetEventSlim();
        Action<string> set = _ => requested.Set();
        stop.Requested += set;
        try
        {
            if (!stop.IsRequested) requested.Wait(); // checked again after subscribing: a stop in between raised no event for us
        }
        finally { stop.Requested -= set; }
    }
}
