using System.Runtime.InteropServices;

namespace Kit.Training.Loop.Stopping;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM (what `kill`, systemd, SageMaker and docker send) become a graceful stop: the
/// process is kept alive until the checkpoint is written. A second Ctrl+C is let through and ends the process
/// at once, for a person who would rather lose the unsaved steps than wait.
/// </summary>
public sealed class ConsoleSignalStopSource : IStopSource
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _seen;

    /// <summary>Written (once) when the first signal arrives, so the person knows the stop is under way.</summary>
    public Action<string>? Notice { get; init; }

    public void Start(Action<string> stop)
    {
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "Ctrl+C (SIGINT)"), (PosixSignal.SIGTERM, "SIGTERM") })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (Interlocked.Increment(ref _seen) > 1 && context.Signal == PosixSignal.SIGINT) return; // second Ctrl+C: let it end the process
                context.Cancel = true;
                Notice?.Invoke($"{name}: finishing this step and saving a checkpoint (press Ctrl+C again to quit without saving)");
                stop(name);
            }));
        }
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _registrations.Clear();
    }
}
