namespace Kit.Training.Loop.Stopping;

/// <summary>A notebook's stop button (the kernel's cancellation token) or any caller's token.</summary>
public sealed class CancellationStopSource(CancellationToken token, string reason = "cancelled") : IStopSource
{
    private CancellationTokenRegistration _registration;

    public void Start(Action<string> stop) => _registration = token.Register(() => stop(reason));

    public void Dispose() => _registration.Dispose();
}
