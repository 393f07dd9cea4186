using System.Text.RegularExpressions;
using Kit.Display.Imaging;
using Kit.Notebooks.Running;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// An executed notebook's chart output, opened in a real browser: plotly must actually draw the trace.
/// The same check on a page without plotly.js must say "not rendered", so the check can fail.
/// </summary>
public sealed partial class BrowserTests : IDisposable
{
    private readonly TempDir _dir = new("kit-browser");

    public void Dispose() => _dir.Dispose();

    private static readonly Color Trace = Color.Series[0]; // the first series' colour, #1f77b4

    [Fact]
    public async Task A_chart_output_renders_as_a_plotly_plot_in_chromium_and_the_check_fails_without_plotly()
    {
        var path = NotebookFile.Write(_dir["charts.ipynb"],
            "#r \"nuget: Kit.Display\"\nusing Kit.Display.Charts;",
            "var steps = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();\n" +
            "display(new LineChart(\"Training loss\", \"step\", \"loss\").Add(\"train\", steps, steps.Select(s => 2 / (1 + s / 5)).ToArray()));",
            "display(new LineChart(\"Second\").Add(\"train\", new[] { 1.0, 2, 3 }));");
        var result = await NotebookRunner.RunAsync(path, new RunOptions { KitDirectory = RepoPaths.KitBuild });
        Assert.True(result.Succeeded, result.Error);
        var nb = NotebookFile.Read(path);

        var first = Page("first.html", NotebookFile.Text(NotebookFile.Outputs(nb, 2)[0]!["data"]!["text/html"]));
        var (rendered, why) = Rendered(first);
        Assert.True(rendered, why);

        // The second chart relies on the plotly.js the first one embedded; alone on a page it cannot draw.
        var alone = Page("alone.html", NotebookFile.Text(NotebookFile.Outputs(nb, 3)[0]!["data"]!["text/html"]));
        var (renderedAlone, _) = Rendered(alone);
        Assert.False(renderedAlone, "the check passed on a page without plotly.js: it cannot tell a drawn plot from none");
    }

    private string Page(string name, string body)
    {
        var file = _dir[name];
        File.WriteAllText(file, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0;background:#fff\">{body}</body></html>");
        return file;
    }

    /// <summary>Plotly's SVG with a drawn line in the DOM, and the trace's colour on screen.</summary>
    private static (bool Rendered, string Why) Rendered(string page)
    {
        var dom = Chromium.DumpDom(page);
        var hasSvg = dom.Contains("class=\"main-svg\"", StringComparison.Ordinal);
        var hasLine = TracePath().IsMatch(dom);
        var shot = Chromium.Screenshot(page, 800, 600);
        var tracePixels = 0;
        for (var y = 0; y < shot.Height; y++)
            for (var x = 0; x < shot.Width; x++)
            {
                var c = shot[x, y];
                if (Math.Abs(c.R - Trace.R) + Math.Abs(c.G - Trace.G) + Math.Abs(c.B - Trace.B) < 40) tracePixels++;
            }
        var why = $"plotly svg: {hasSvg}, trace path: {hasLine}, trace-coloured pixels in the screenshot: {tracePixels}";
        return (hasSvg && hasLine && tracePixels > 150, why);
    }

    [GeneratedRegex("class=\"js-line\" d=\"M[^\"]{20,}\"")]
    private static partial Regex TracePath();
}
