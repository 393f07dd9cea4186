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
            if (_last is not { } p) return "waiting to start";
            var seconds = _clock.Elapsed.TotalSeconds;
            var line = $"{p.Phase}: {ByteSize.Format(p.Done)} of {ByteSize.Format(p.Total)}";
            if (seconds > 0.2 && p.Done > 0)
            {
                var rate = p.Done / seconds;
                line += $", {ByteSize.Format((long)rate)}/s";
                if (p.Done < p.Total) line += $", {TimeSpan.FromSeconds((p.Total - p.Done) / rate):hh\\:mm\\:ss} left";
            }
            return p.File is { } f && p.Done < p.Total ? $"{line} ({f})" : line;
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
