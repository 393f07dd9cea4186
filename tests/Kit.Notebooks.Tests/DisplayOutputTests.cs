using System.Text.Json.Nodes;
using Kit.Display.Imaging;
using Kit.Notebooks.Running;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

public sealed class DisplayOutputTests : IDisposable
{
    private readonly TempDir _dir = new("kit-nb-display");

    public void Dispose() => _dir.Dispose();

    private async Task<JsonObject> RunOk(params string[] cells)
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], cells);
        var result = await NotebookRunner.RunAsync(path, new RunOptions { KitDirectory = RepoPaths.KitBuild });
        Assert.True(result.Succeeded, result.Error);
        return NotebookFile.Read(path);
    }

    [Fact]
    public async Task A_chart_is_written_as_html_svg_png_and_text_in_one_output()
    {
        var nb = await RunOk(
            "#r \"nuget: Kit.Display\"\nusing Kit.Display.Charts;",
            "var chart = new LineChart(\"Losses\", \"step\", \"loss\").Add(\"train\", new[] { 3.0, 2.0, 1.5, 1.2 }).Add(\"val\", new[] { 3.2, 2.4, 2.0, 1.9 });\ndisplay(chart);");

        var data = (JsonObject)NotebookFile.Outputs(nb, 2).Single()!["data"]!;
        Assert.Equal(["image/png", "image/svg+xml", "text/html", "text/plain"], data.Select(kv => kv.Key).ToArray());
        var html = NotebookFile.Text(data["text/html"]);
        Assert.Contains("Plotly", html);
        Assert.Contains("window.Plotly.react", html);
        Assert.Contains("\"train\"", html);
        Assert.Contains("<polyline", NotebookFile.Text(data["image/svg+xml"]));
        var png = PngDecoder.Decode(Convert.FromBase64String(data["image/png"]!.GetValue<string>()));
        Assert.Equal(640, png.Width);
        Assert.Contains("train: 4 points", NotebookFile.Text(data["text/plain"]));
    }

    [Fact]
    public async Task Plotly_js_is_embedded_once_per_notebook()
    {
        var nb = await RunOk(
            "#r \"nuget: Kit.Display\"\nusing Kit.Display.Charts;",
            "display(new Histogram(new[] { 1.0, 2, 2, 3 }, 3, \"first\"));",
            "display(new Histogram(new[] { 1.0, 2, 2, 3 }, 3, \"second\"));");
        string Html(int cell) => NotebookFile.Text(NotebookFile.Outputs(nb, cell)[0]!["data"]!["text/html"]);
        Assert.Contains("plotly.js v", Html(2));
        Assert.DoesNotContain("plotly.js v", Html(3));
        Assert.DoesNotContain("cdn", Html(2)[..2000] + Html(3), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Html_strings_and_records_show_as_their_mime_types()
    {
        var nb = await RunOk(
            "display(HTML(\"<b>bold</b>\"));\ndisplay(\"<b>plain</b>\");",
            "record Clip(string Id, double Seconds);\nnew List<Clip> { new(\"a\", 1.5), new(\"b<\", 2) }");
        var outputs = NotebookFile.Outputs(nb, 1);
        Assert.Equal("<b>bold</b>", NotebookFile.Text(outputs[0]!["data"]!["text/html"]));
        Assert.Null(outputs[1]!["data"]!["text/html"]);
        Assert.Equal("<b>plain</b>", NotebookFile.Text(outputs[1]!["data"]!["text/plain"]));
        var table = NotebookFile.Text(NotebookFile.Outputs(nb, 2)[0]!["data"]!["text/html"]);
        Assert.Contains("<th>Seconds</th>", table);
        Assert.Contains("<td>b&lt;</td>", table);
    }

    [Fact]
    public async Task Update_replaces_the_displayed_output_in_place()
    {
        var nb = await RunOk(
            "var handle = display(\"step 0\");\nfor (var i = 1; i <= 5; i++) handle.Update($\"step {i}\");\ndisplay(\"after\");");
        var outputs = NotebookFile.Outputs(nb, 1);
        Assert.Equal(2, outputs.Count);
        Assert.Equal("step 5", NotebookFile.Text(outputs[0]!["data"]!["text/plain"]));
        Assert.Equal("after", NotebookFile.Text(outputs[1]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_live_progress_display_updates_in_place_and_prints_progress_headless()
    {
        var path = NotebookFile.Write(_dir["live.ipynb"],
            "#r \"nuget: Kit.Display\"\nusing Kit.Display.Live;",
            "var p = new ProgressDisplay(\"training\", 20) { MinInterval = TimeSpan.Zero };\np.Bind(display(p));\n" +
            "for (var i = 1; i <= 20; i++) { p.Report(i, (\"loss\", 1.0 / i)); System.Threading.Thread.Sleep(60); }\np.Complete();");
        var progress = new StringWriter();
        var result = await NotebookRunner.RunAsync(path, new RunOptions { KitDirectory = RepoPaths.KitBuild, Progress = progress });
        Assert.True(result.Succeeded, result.Error);
        var outputs = NotebookFile.Outputs(NotebookFile.Read(path), 2);
        var only = Assert.Single(outputs);
        Assert.StartsWith("training: 20/20 (100%) loss=0.05", NotebookFile.Text(only!["data"]!["text/plain"]));
        var lines = progress.ToString().Split('\n').Where(l => l.Contains("training: ")).ToList();
        Assert.NotEmpty(lines); // about 1.2 s of updates, printed at most once a second
        Assert.True(lines.Count <= 3, string.Join("\n", lines));
    }
}
