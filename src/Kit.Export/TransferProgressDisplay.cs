using System.Diagnostics;
using System.Net;
using Kit.Display.Live;
using Kit.Display;

namespace Kit.Export;

/// <summary>
/// Export and import progress in a notebook: the phase, the file in flight, bytes done of the total, rate and
/// time left, redrawn in place (<c>progress.Bind(display(progress))</c>). Each new phase restarts the rate.
/// </summary>
public sealed class TransferProgressDisplay : LiveDisplay, IProgress<TransferProgress>
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private TransferProgress? _last;

    public void Report(TransferProgress value)
    {
        lock (_gate)
        {
            if (_last is null || _last.Phase != value.Phase) _clock.Restart();
            _last = value;
        }
        Changed();
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _last is { } p ? p.Describe(_clock.Elapsed) : "waiting to start";
        }
    }

    public override IReadOnlyList<Kit.Display.Rendering> Render()
    {
        long done, total;
        lock (_gate) (done, total) = (_last?.Done ?? 0, Math.Max(1, _last?.Total ?? 1));
        var text = ToString();
        var html = $"<div class=\"kit-progress\"><div>{WebUtility.HtmlEncode(text)}</div>" +
                   $"<progress max=\"{total}\" value=\"{Math.Min(done, total)}\" style=\"width:100%\"></progress></div>";
        return [new(Kit.Display.Rendering.Html, html), new(Kit.Display.Rendering.Text, text)];
    }
}
