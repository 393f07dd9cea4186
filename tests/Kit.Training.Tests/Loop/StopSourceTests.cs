using System.Diagnostics;
using Kit.Training.Loop.Stopping;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

public class StopSourceTests
{
    [Fact]
    public void First_reason_wins_and_is_reported_once()
    {
        using var signal = new StopSignal();
        var seen = new List<string>();
        signal.Requested += seen.Add;
        signal.Request("run.Stop()");
        signal.Request("STOP file");
        Assert.Equal("run.Stop()", signal.Reason);
        Assert.Equal(["run.Stop()"], seen);
    }

    [Fact]
    public void A_cancellation_token_stops()
    {
        using var cts = new CancellationTokenSource();
        using var signal = new StopSignal();
        signal.Add(new CancellationStopSource(cts.Token, "notebook stop button"));
        Assert.False(signal.IsRequested);
        cts.Cancel();
        Assert.Equal("notebook stop button", signal.Reason);
    }

    [Fact]
    public void A_STOP_file_created_by_another_process_stops_and_is_removed()
    {
        using var dir = new TempDir();
        using var signal = new StopSignal();
        using var requested = new ManualResetEventSlim();
        signal.Requested += _ => requested.Set();
        signal.Add(new StopFileSource(dir.Path, TimeSpan.FromMilliseconds(50)));
        Thread.Sleep(150);
        Assert.False(signal.IsRequested);
        using (var touch = Process.Start("touch", Path.Combine(dir.Path, "STOP"))) touch.WaitForExit();
        HangGuard.Wait(requested.Wait, "the STOP file's stop request");
        Assert.Contains("STOP file", signal.Reason);
        // The source asks first and removes the file after, on its timer's thread: wait for the removal.
        HangGuard.Until(() => !File.Exists(Path.Combine(dir.Path, "STOP")), "the STOP file's removal");
    }
}
