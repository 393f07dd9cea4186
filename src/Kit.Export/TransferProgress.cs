using Kit.Display;

namespace Kit.Export;

/// <summary>Where a long transfer stands: the phase, the file in flight, and bytes done of the total.</summary>
public sealed record TransferProgress(string Phase, string? File, long Done, long Total)
{
    /// <summary>
    /// One line for people (the notebook's display and the CLI's plain lines): bytes done of the total; the rate
    /// and time left once <paramref name="phaseElapsed"/> (time since the phase began) is long enough to give a
    /// rate; the file in flight while the phase runs.
    /// </summary>
    public string Describe(TimeSpan phaseElapsed)
    {
        var line = $"{Phase}: {ByteSize.Format(Done)} of {ByteSize.Format(Total)}";
        var seconds = phaseElapsed.TotalSeconds;
        if (seconds > 0.2 && Done > 0)
        {
            var rate = Done / seconds;
            line += $", {ByteSize.Format((long)rate)}/s";
            if (Done < Total) line += $", {TimeSpan.FromSeconds((Total - Done) / rate):hh\\:mm\\:ss} left";
        }
        return File is { } f && Done < Total ? $"{line} ({f})" : line;
    }
}

/// <summary>Turns per-file byte deltas into running totals for one phase.</summary>
internal sealed class ProgressTally(string phase, long total, IProgress<TransferProgress>? sink) : IProgress<long>
{
    private long _done;
    public string? File { get; set; }
    public long Done => Interlocked.Read(ref _done);

    public void Report(long delta)
    {
        var done = Interlocked.Add(ref _done, delta);
        sink?.Report(new TransferProgress(phase, File, done, total));
    }
}

/// <summary>The exporter's and importer's account of what they did, one line each, for logs and notebooks.</summary>
public interface IExportLog
{
    void Info(string line);
}

public sealed class ActionLog(Action<string> write) : IExportLog
{
    public void Info(string line) => write(line);
}
