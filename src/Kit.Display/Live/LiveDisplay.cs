using System.Diagnostics;
using System.Reflection;
using Kit.Display.Formatting;

namespace Kit.Display.Live;

/// <summary>
/// A value that redraws itself in place while work runs (a progress bar, a loss chart). Show it with
/// <c>var live = new ProgressDisplay("training", steps); live.Bind(display(live));</c>: the handle display(...)
/// returns (the Polyglot kernel's DisplayedValue) has an Update(object) method, called by name, so the
/// library needs no reference to the kernel. Updates are throttled to <see cref="MinInterval"/>;
/// <see cref="Complete"/> pushes the final state. Subclasses inherit the kernel attribute (HTML and text);
/// one that also renders images (LiveChart) declares its own, which replaces this one.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public abstract class LiveDisplay : IRenderable
{
    private readonly object _gate = new();
    private object? _handle;
    private MethodInfo? _update;
    private readonly Stopwatch _sinceUpdate = new();

    /// <summary>The least time between two updates pushed to the display.</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    public abstract IReadOnlyList<Rendering> Render();

    /// <summary>Attaches the handle display(this) returned; returns it, so a cell can end with the call.</summary>
    public T Bind<T>(T handle) where T : notnull
    {
        var update = handle.GetType().GetMethod("Update", [typeof(object)])
                     ?? throw new ArgumentException($"{handle.GetType().FullName} has no Update(object) method: pass what display(...) returned", nameof(handle));
        lock (_gate) { _handle = handle; _update = update; _sinceUpdate.Restart(); }
        OnBound(handle);
        return handle;
    }

    /// <summary>Called once <see cref="Bind"/> attached a handle, on the caller's thread (the cell's).</summary>
    protected virtual void OnBound(object handle) { }

    /// <summary>
    /// Shows <paramref name="companion"/> as an output of its own after the one <paramref name="handle"/> updates,
    /// through the display function of the kernel that made the handle, and binds it; false (nothing shown) when
    /// the handle came from elsewhere. Call it on the cell's thread (from <see cref="OnBound"/>): the kernel puts
    /// the new output in the cell that runs. Found by name, as Update is: the kernel's current Formatting has
    /// System.DisplayExtensions.Display(object, string[]) beside its DisplayedValue; earlier kernels had
    /// Microsoft.DotNet.Interactive.Kernel.display(object, string[]) beside theirs.
    /// </summary>
    protected static bool ShowBeside(object handle, LiveDisplay companion)
    {
        var assembly = handle.GetType().Assembly;
        var display = new[] { ("System.DisplayExtensions", "Display"), ("Microsoft.DotNet.Interactive.Kernel", "display") }
            .Select(n => assembly.GetType(n.Item1)?.GetMethod(n.Item2, BindingFlags.Public | BindingFlags.Static, [typeof(object), typeof(string[])]))
            .FirstOrDefault(m => m is not null);
        if (display?.Invoke(null, [companion, Array.Empty<string>()]) is not { } shown || shown.GetType().GetMethod("Update", [typeof(object)]) is null)
            return false;
        companion.Bind(shown);
        return true;
    }

    /// <summary>Call after the state changed; redraws now unless the last redraw was under MinInterval ago.</summary>
    protected void Changed() => Push(force: false);

    /// <summary>Redraws with the final state, whatever the throttle says.</summary>
    public virtual void Complete() => Push(force: true);

    private void Push(bool force)
    {
        lock (_gate)
        {
            if (_handle is null) return;
            if (!force && _sinceUpdate.Elapsed < MinInterval) return;
            _sinceUpdate.Restart();
            _update!.Invoke(_handle, [this]);
        }
    }
}
