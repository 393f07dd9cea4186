using Kit.Display;
using Kit.Display.Formatting;
using Kit.Training.Loop.Stopping;

namespace Kit.Training.Loop;

/// <summary>
/// A run training in the background (from <see cref="Trainer.Start"/>). <see cref="Stop"/> from another
/// cell ends it gracefully; <see cref="Completion"/> finishes once the final checkpoint is written.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class TrainingRun : IRenderable
{
    private readonly StopSignal _stop;
    private readonly TrainingLoop _loop;

    internal TrainingRun(TrainingLoop loop, StopSignal stop, TrainingView view, Task<TrainingResult> completion)
    {
        _loop = loop;
        _stop = stop;
        Display = view;
        Completion = completion;
    }

    public string RunDirectory => _loop.RunDirectory;
    public TrainingView Display { get; }
    public Task<TrainingResult> Completion { get; }
    public TrainingStatus Status => _loop.Status;

    /// <summary>Asks the run to stop: it finishes the current step, saves a checkpoint and completes.</summary>
    public void Stop(string reason = "run.Stop() was called") => _stop.Request(reason);

    /// <summary>Stops and waits for the final checkpoint.</summary>
    public TrainingResult StopAndWait(string reason = "run.Stop() was called")
    {
        Stop(reason);
        return Completion.GetAwaiter().GetResult();
    }

    /// <summary>Adds a stop source while training runs (e.g. Kit.Aws's spot interruption watcher).</summary>
    public void AddStopSource(IStopSource source) => _stop.Add(source);

    public IReadOnlyList<Rendering> Render() => Display.Render();

    public override string ToString() => Display.ToString();
}
