namespace Kit.Training.Loop.Stopping;

/// <summary>
/// The one flag the training loop checks between steps. Any number of sources set it; the first reason wins.
/// Reading it is a volatile load, so checking it every step costs nothing.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly List<IStopSource> _sources = [];
    private volatile string? _reason;

    public bool IsRequested => _reason is not null;
    public string? Reason => _reason;

    /// <summary>Raised once, on the thread that asked, when the first stop is requested.</summary>
    public event Action<string>? Requested;

    public void Request(string reason)
    {
        if (Interlocked.CompareExchange(ref _reason, reason, null) is null) Requested?.Invoke(reason);
    }

    public void Add(IStopSource source)
    {
        lock (_sources) _sources.Add(source);
        source.Start(Request);
    }

    public void Dispose()
    {
        lock (_sources)
        {
            foreach (var s in _sources) s.Dispose();
            _sources.Clear();
        }
    }
}
