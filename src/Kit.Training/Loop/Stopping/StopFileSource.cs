namespace Kit.Training.Loop.Stopping;

/// <summary>
/// `touch RUN/STOP` stops the run (for a remote VM reached over ssh). Polled on a timer, once a second by
/// default, away from the training loop. The file is removed when honoured, so a resumed run does not stop
/// again at once.
/// </summary>
public sealed class StopFileSource(string runDirectory, TimeSpan? interval = null) : IStopSource
{
    public const string FileName = Checkpoints.CheckpointFiles.StopFile;

    private Timer? _timer;

    public string Path { get; } = System.IO.Path.Combine(runDirectory, FileName);

    public void Start(Action<string> stop)
    {
        var period = interval ?? TimeSpan.FromSeconds(1);
        _timer = new Timer(_ =>
        {
            if (!File.Exists(Path)) return;
            // Asked first, removed after: once the file is gone the stop is on record (a test waits on that).
            stop($"the STOP file {Path} appeared");
            try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }, null, period, period);
    }

    public void Dispose() => _timer?.Dispose();
}
