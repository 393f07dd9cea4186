using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kit.Display.Formatting;

namespace Kit.Display.Charts;

/// <summary>
/// A chart with a title and axis labels. It renders as interactive plotly.js HTML (in VS Code), SVG and PNG
/// (GitHub strips scripts, headless outputs have no browser) and a one-line text summary.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource),
    PreferredMimeTypes = new[] { Rendering.Html, Rendering.Svg, Rendering.Png, Rendering.Text })]
public abstract class Chart : IRenderable
{
    private readonly string _id = "kit-chart-" + Guid.NewGuid().ToString("N")[..12];

    public string? Title { get; set; }
    public string? XLabel { get; set; }
    public string? YLabel { get; set; }
    public int Width { get; set; } = 640;
    public int Height { get; set; } = 400;

    protected const double MarginLeft = 64, MarginRight = 24, MarginTop = 44, MarginBottom = 52;

    public IReadOnlyList<Rendering> Render()
    {
        using var scene = DrawScene();
        return
        [
            new Rendering(Rendering.Html, ToHtml()),
            new Rendering(Rendering.Svg, SvgWriter.Write(scene)),
            new Rendering(Rendering.Png, PngRasterizer.ToBase64Png(scene)),
            new Rendering(Rendering.Text, Summary()),
        ];
    }

    public override string ToString() => Summary();

    /// <summary>One or a few lines describing the data, for terminals and text/plain.</summary>
    protected abstract string Summary();

    /// <summary>The plotly traces.</summary>
    protected abstract JsonArray PlotlyData();

    /// <summary>Adds chart-specific layout (axis ranges, bar gaps).</summary>
    protected virtual void PlotlyLayout(JsonObject layout) { }

    /// <summary>The data range the axes cover: (xMin, xMax, yMin, yMax).</summary>
    protected abstract (double XMin, double XMax, double YMin, double YMax) Bounds();

    /// <summary>Draws the data inside the plot area.</summary>
    protected abstract void DrawPlot(Scene scene, Axis x, Axis y);

    public Scene DrawScene()
    {
        var scene = new Scene(Width, Height);
        var (x0, x1, y0, y1) = Bounds();
        var x = new Axis(x0, x1, MarginLeft, Width - MarginRight);
        var y = new Axis(y0, y1, Height - MarginBottom, MarginTop);
        foreach (var t in y.Ticks())
        {
            var py = y.ToPixel(t);
            scene.Add(new Polyline([(x.PixelFrom, py), (x.PixelTo, py)], Imaging.Color.Grey with { A = 160 }, 1));
            scene.Add(new Label(x.PixelFrom - 6, py + 4, Axis.Format(t), 11, TextAnchor.End));
        }
        foreach (var t in x.Ticks())
        {
            var px = x.ToPixel(t);
            scene.Add(new Polyline([(px, y.PixelFrom), (px, y.PixelFrom + 4)], Imaging.Color.DarkGrey, 1));
            scene.Add(new Label(px, y.PixelFrom + 17, Axis.Format(t), 11));
        }
        DrawPlot(scene, x, y);
        scene.Add(new Polyline([(x.PixelFrom, y.PixelTo), (x.PixelFrom, y.PixelFrom), (x.PixelTo, y.PixelFrom)], Imaging.Color.DarkGrey, 1));
        if (Title is not null) scene.Add(new Label(Width / 2.0, 26, Title, 16));
        if (XLabel is not null) scene.Add(new Label((x.PixelFrom + x.PixelTo) / 2, Height - 10, XLabel, 12));
        if (YLabel is not null) scene.Add(new Label(16, (y.PixelFrom + y.PixelTo) / 2, YLabel, 12, Vertical: true));
        return scene;
    }

    /// <summary>The figure as plotly JSON: {data, layout, config}.</summary>
    public JsonObject PlotlyFigure()
    {
        var layout = new JsonObject
        {
            ["width"] = Width,
            ["height"] = Height,
            ["margin"] = new JsonObject { ["l"] = MarginLeft, ["r"] = MarginRight, ["t"] = MarginTop, ["b"] = MarginBottom },
            ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = XLabel ?? "" } },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = YLabel ?? "" } },
        };
        if (Title is not null) layout["title"] = new JsonObject { ["text"] = Title };
        PlotlyLayout(layout);
        return new JsonObject
        {
            ["data"] = PlotlyData(),
            ["layout"] = layout,
            ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
        };
    }

    /// <summary>
    /// The static SVG, then a div and the script that draws the interactive plot into it once plotly.js is
    /// on the page and hides the SVG. Where scripts are stripped (GitHub's viewer, nbconvert's HTML
    /// preference) the SVG stays. Only the first chart HTML of a page (a kernel session) carries plotly.js;
    /// every later one, live redraws included, is data only, so a redraw stays small and a headless run,
    /// which keeps every redraw, holds plotly.js once.
    /// </summary>
    public string ToHtml()
    {
        var plotly = PlotlyScript.TakeForNewChart();
        string svg;
        using (var scene = DrawScene()) svg = SvgWriter.Write(scene);
        if (!PlotlyScript.Available)
            return "<!-- plotly.js not found (run ./setup.sh to install node_modules); static chart only -->" + svg;
        var figure = PlotlyFigure().ToJsonString(JsonOptions).Replace("</", "<\\/");
        var sb = new StringBuilder();
        sb.Append(plotly);
        sb.Append($"<div id=\"{_id}-static\" class=\"kit-chart-static\">{svg}</div>");
        sb.Append($"<div id=\"{_id}\" class=\"kit-chart\" style=\"display:none;width:{Width}px;max-width:100%;height:{Height}px\" title=\"{WebUtility.HtmlEncode(Title ?? "")}\"></div>");
        // A redraw replaces the output with an element of the same id while the earlier output's script may still
        // be waiting for plotly.js: each script draws only into the element it was written beside, so a stale
        // frame (the first one had no data) can never draw over the newer one.
        sb.Append("<script type=\"text/javascript\">(function () {\n  var tries = 0;\n");
        sb.Append($"  var mine = document.getElementById(\"{_id}\");\n");
        sb.Append($"  var figure = {figure};\n");
        sb.Append($"  function draw() {{\n    var el = document.getElementById(\"{_id}\"), fallback = document.getElementById(\"{_id}-static\");\n    if (!el || (mine && el !== mine)) return;\n");
        // A page without plotly.js (a saved notebook reopened: its first chart output was redrawn without it)
        // keeps the static SVG; stop asking after 2 minutes (a busy machine can take tens of seconds to unpack and
        // compile plotly.js brought by an earlier output).
        sb.Append("    if (!window.Plotly) { if (++tries < 1200) setTimeout(draw, 100); return; }\n");
        sb.Append("    el.style.display = \"\"; if (fallback) fallback.style.display = \"none\";\n");
        sb.Append("    window.Plotly.react(el, figure.data, figure.layout, figure.config);\n  }\n  draw();\n})();</script>");
        return sb.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>NaN and infinities are not JSON: plotly takes null as a gap.</summary>
    protected static JsonArray Numbers(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());
}
