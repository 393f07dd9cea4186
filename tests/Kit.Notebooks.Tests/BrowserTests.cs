using Kit.Display.Imaging;
using Kit.Notebooks.Running;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// An executed notebook's chart output, opened in a real browser: plotly must actually draw the trace.
/// The same check on a page without plotly.js must say "not rendered", so the check can fail.
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private readonly TempDir _dir = new("kit-browser");

    public void Dispose() => _dir.Dispose();

    private static readonly Color Trace = Color.Series[0]; // the first series' colour, #1f77b4

    [Fact]
    public async Task A_chart_output_renders_as_a_plotly_plot_in_chromium_and_the_check_fails_without_plotly()
    {
        var path = NotebookFile.Write(_dir["charts.ipynb"],
            ReplRunnerTests.Ref("Kit.Display") + "\nusing Kit.Display.Charts;",
            "var steps = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();\n" +
            "display(new LineChart(\"Training loss\", \"step\", \"loss\").Add(\"train\", steps, steps.Select(s => 2 / (1 + s / 5)).ToArray()));",
            "display(new LineChart(\"Second\").Add(\"train\", new[] { 1.0, 2, 3 }));");
        var result = await NotebookRunner.RunAsync(path, new RunOptions());
        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var nb = NotebookFile.Read(path);
        // The display convention through the real kernel: one output per chart with the kit's preferred MIME
        // types, plotly.js in the session's first chart only.
        var data = (System.Text.Json.Nodes.JsonObject)NotebookFile.Outputs(nb, 2)[0]!["data"]!;
        Assert.Equal(["image/png", "image/svg+xml", "text/html", "text/plain"], data.Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.StartsWith("Training loss\n  train: 50 points", NotebookFile.Text(data["text/plain"]));
        Assert.Equal(1, NotebookCatalogTests.PlotlyCopies(File.ReadAllText(path)));

        await using var browser = await Browser.LaunchAsync();
        var first = Page("first.html", NotebookFile.Text(NotebookFile.Outputs(nb, 2)[0]!["data"]!["text/html"]));
        var (rendered, why, _) = await Rendered(browser, first, HangGuard.Limit, Path.Combine(RepoPaths.Root, "build", "notebooks", "chart-in-chromium.png"));
        Assert.True(rendered, why);

        // The second chart relies on the plotly.js the first one embedded; alone on a page it cannot draw.
        var alone = Page("alone.html", NotebookFile.Text(NotebookFile.Outputs(nb, 3)[0]!["data"]!["text/html"]));
        var (renderedAlone, whyAlone, staticPixels) = await Rendered(browser, alone, TimeSpan.FromSeconds(5), null);
        Assert.False(renderedAlone, "the check passed on a page without plotly.js: it cannot tell a drawn plot from none\n" + whyAlone);
        // What a viewer without plotly (or without scripts) shows instead: the static SVG, trace included.
        Assert.True(staticPixels > 50, whyAlone);
    }

    private string Page(string name, string body)
    {
        var file = _dir[name];
        File.WriteAllText(file, $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"margin:0;background:#fff\">{body}</body></html>");
        return file;
    }

    private const string TraceLine = "svg.main-svg .scatterlayer .trace path.js-line";

    /// <summary>Plotly's SVG with a drawn line in the DOM, and the trace's colour on the screenshot.</summary>
    private static async Task<(bool Rendered, string Why, int TracePixels)> Rendered(Browser browser, string page, TimeSpan wait, string? keepScreenshot)
    {
        var (found, pathLength, screenshot) = await browser.OpenAsync(page, TraceLine,
            $"() => {{ const p = document.querySelector('{TraceLine}'); return String(p ? (p.getAttribute('d') || '').length : 0); }}",
            wait);
        using var shot = screenshot;
        if (keepScreenshot is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(keepScreenshot)!);
            File.WriteAllBytes(keepScreenshot, Png.Encode(shot)); // for a person to look at (CI artifact)
        }
        var tracePixels = 0;
        foreach (var c in shot.Pixels)
            if (Math.Abs(c.Red - Trace.R) + Math.Abs(c.Green - Trace.G) + Math.Abs(c.Blue - Trace.B) < 40) tracePixels++;
        var why = $"plotly trace path found: {found} (d attribute {pathLength} chars), trace-coloured pixels in the screenshot: {tracePixels}";
        return (found && int.Parse(pathLength) > 20 && tracePixels > 150, why, tracePixels);
    }
}
