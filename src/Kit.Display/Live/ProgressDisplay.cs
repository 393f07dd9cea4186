using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Kit.Display.Live;

/// <summary>A progress bar with the latest metrics, elapsed time and an estimate of the time left.</summary>
public sealed class ProgressDisplay : LiveDisplay
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, double> _metrics = new();

    public ProgressDisplay(string title, long total)
    {
        Title = title;
        Total = total;
    }

    public string Title { get; }
    public long Total { get; }
    public long Current { get; private set; }
    public IReadOnlyDictionary<string, double> Metrics => _metrics;

    /// <summary>Records progress and optional metrics (e.g. ("loss", 0.31)), then redraws (throttled).</summary>
    public void Report(long current, params (string Name, double Value)[] metrics)
    {
        Current = Math.Clamp(current, 0, Total);
        foreach (var (name, value) in metrics) _metrics[name] = value;
        Changed();
    }

    private double Fraction => Total <= 0 ? 1 : (double)Current / Total;

    public override string ToString()
    {
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Title}: {Current}/{Total} ({Fraction * 100:F0}%)"));
        foreach (var (k, v) in _metrics) sb.Append(CultureInfo.InvariantCulture, $" {k}={v:G4}");
        sb.Append($" elapsed {Clock(_clock.Elapsed)}");
        if (Current > 0 && Current < Total) sb.Append($" left ~{Clock(_clock.Elapsed * ((Total - Current) / (double)Current))}");
        return sb.ToString();
    }

    public override IReadOnlyList<Rendering> Render()
    {
        var html = $"<div class=\"kit-progress\"><div>{WebUtility.HtmlEncode(ToString())}</div>" +
                   $"<progress max=\"{Total}\" value=\"{Current}\" style=\"width:100%\"></progress></div>";
        return [new Rendering(Rendering.Html, html), new Rendering(Rendering.Text, ToString())];
    }

    private static string Clock(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"mm\:ss");
}
