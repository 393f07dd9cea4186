using Kit.Display.Charts;
using Kit.Display.Formatting;

namespace Kit.Display.Live;

/// <summary>A line chart that grows while training runs: Append(series, step, value) redraws it (throttled).</summary>
[TypeFormatterSource(typeof(RenderableFormatterSource),
    PreferredMimeTypes = new[] { Rendering.Html, Rendering.Svg, Rendering.Png, Rendering.Text })]
public sealed class LiveChart : LiveDisplay
{
    public LiveChart(string? title = null, string? xLabel = "step", string? yLabel = "loss") =>
        Chart = new LineChart(title, xLabel, yLabel);

    public LineChart Chart { get; }

    public void Append(string series, double x, double y)
    {
        lock (Chart) Chart.Append(series, x, y);
        Changed();
    }

    public override IReadOnlyList<Rendering> Render()
    {
        lock (Chart) return Chart.Render();
    }

    public override string ToString() => Kit.Display.Renderer.Text(Chart);
}
