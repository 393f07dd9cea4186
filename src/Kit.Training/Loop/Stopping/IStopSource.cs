namespace Kit.Training.Loop.Stopping;

/// <summary>
/// Something that can ask a run to stop: a STOP file, a signal, a cancellation token, a cloud's interruption
/// notice (Kit.Aws's spot watcher plugs in here). A stop is always graceful: the trainer finishes the step
/// it is on, saves a checkpoint and returns.
/// </summary>
public interface IStopSource : IDisposable
{
    /// <summary>Begins watching; calls <paramref name="stop"/> (from any thread) with a reason a person reads.</summary>
    void Start(Action<string> stop);
}
