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

    /// <summary>
    /// Waits for the run to end by itself (its step limit, a STOP file, <see cref="Stop"/>) or until
    /// <paramref name="stopWhen"/> is cancelled, which stops it gracefully: the notebook's training cell passes
    /// the kernel's cancellation token, so the cell's stop button ends training as Colab's does, with the step
    /// under way finished and saved. The registration ends with the wait, so a token the kernel cancels once the
    /// cell is done cannot stop a run it no longer waits on.
    /// </summary>
    public async Task<TrainingResult> WaitAsync(CancellationToken stopWhen)
    {
        using var _ = stopWhen.Register(() => Stop(StopButtonReason));
        return await Completion.ConfigureAwait(false);
    }

    /// <summary>The stop reason <see cref="WaitAsync"/> gives when its token is cancelled.</summary>
    public const string StopButtonReason = "the training cell was stopped (the kernel cancelled it)";

    /// <summary>Adds a stop source while training runs (e.g. Kit.Aws's spot interruption watcher).</summary>
    public void AddStopSource(IStopSource source) => _stop.Add(source);

    public IReadOnlyList<Rendering> Render() => Display.Render();

    public override string ToString() => Display.ToString();
}
