using System.Text.Json.Nodes;
using Kit.Display.Charts;
using Kit.Display.Imaging;
using SkiaSharp;

namespace Kit.Display.Tests;

public sealed class ChartTests
{
    private static int Count(SKBitmap img, Color c, int x0 = 0, int y0 = 0, int x1 = int.MaxValue, int y1 = int.MaxValue)
    {
        var n = 0;
        for (var y = y0; y < Math.Min(y1, img.Height); y++)
            for (var x = x0; x < Math.Min(x1, img.Width); x++)
                if (img.GetPixel(x, y) is var p && Math.Abs(p.Red - c.R) + Math.Abs(p.Green - c.G) + Math.Abs(p.Blue - c.B) < 30) n++;
        return n;
    }

    [Fact]
    public void A_line_chart_draws_each_series_in_its_colour_with_title_and_labels()
    {
        var chart = new LineChart("Losses", "step", "loss")
            .Add("train", [4.0, 3, 2, 1])
            .Add("val", [4.0, 3.5, 3, 2.5]);
        using var scene = chart.DrawScene();
        var svg = SvgWriter.Write(scene);
        Assert.Contains(">Losses</text>", svg);
        Assert.Contains(">step</text>", svg);
        Assert.Contains($"stroke=\"{Color.Series[0].Css}\"", svg);
        Assert.Contains($"stroke=\"{Color.Series[1].Css}\"", svg);

        using var png = SKBitmap.Decode(Convert.FromBase64String(chart.Render().Single(r => r.MimeType == Rendering.Png).Content));
        Assert.Equal((640, 400), (png.Width, png.Height));
        // train falls from top-left to bottom-right: its colour is in the top-left and bottom-right of the plot.
        Assert.True(Count(png, Color.Series[0], 64, 40, 200, 140) > 20);
        Assert.True(Count(png, Color.Series[0], 500, 250, 620, 350) > 20);
        Assert.Equal(0, Count(png, Color.Series[0], 64, 250, 200, 345)); // nothing bottom-left

        var figure = chart.PlotlyFigure();
        Assert.Equal("Losses", figure["layout"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal("loss", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
        Assert.Equal(2, figure["data"]!.AsArray().Count);
    }

    [Fact]
    public void NaN_points_are_gaps_in_every_rendering()
    {
        var chart = new LineChart().Add("train", [1.0, 2, double.NaN, 3, 4]);
        using var scene = chart.DrawScene();
        Assert.Equal(2, SvgWriter.Write(scene).Split("<polyline fill=\"none\" stroke=\"#1f77b4\"").Length - 1);
        Assert.Null(chart.PlotlyFigure()["data"]![0]!["y"]![2]);
    }

    [Fact]
    public void A_histogram_bins_every_value_once()
    {
        var values = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 3).ToArray();
        var h = new Histogram(values, 20);
        Assert.Equal(1000, h.Counts.Sum());
        Assert.Equal(values.Count(v => v < h.Min + h.BinWidth), h.Counts[0]);
        var bars = h.PlotlyFigure()["data"]![0]!;
        Assert.Equal("bar", bars["type"]!.GetValue<string>());
        Assert.Equal(20, bars["y"]!.AsArray().Count);
    }

    [Fact]
    public void A_heatmap_puts_row_zero_at_the_bottom_in_viridis()
    {
        // 2 rows x 3 columns; the smallest value at row 0 column 0, the largest at row 1 column 2.
        var h = new Heatmap([[0.0, 1, 2], [3, 4, 5]]);
        using var px = h.Pixels();
        Assert.Equal(ColorMap.Viridis(0), Color.From(px.GetPixel(0, 1)));
        Assert.Equal(ColorMap.Viridis(1), Color.From(px.GetPixel(2, 0)));
        using var png = SKBitmap.Decode(Convert.FromBase64String(h.Render().Single(r => r.MimeType == Rendering.Png).Content));
        Assert.Equal(ColorMap.Viridis(0), Color.From(png.GetPixel(70, 340))); // bottom-left of the plot area
        Assert.Equal(ColorMap.Viridis(1), Color.From(png.GetPixel(610, 50))); // top-right
        Assert.Contains("data:image/png;base64,", h.Render().Single(r => r.MimeType == Rendering.Svg).Content);
    }

    [Fact]
    public void Spectrogram_data_in_row_major_floats_becomes_a_heatmap()
    {
        var data = new float[4 * 6];
        data[3 * 6 + 5] = 1;
        var h = Heatmap.FromRowMajor(data, 4, 6, "mel", "frame", "bin");
        Assert.Equal((4, 6), (h.Rows, h.Columns));
        Assert.Equal(1, h.Values[3][5]);
        Assert.Throws<ArgumentException>(() => Heatmap.FromRowMajor(data, 5, 6));
    }

    [Fact]
    public void Chart_html_draws_with_plotly_from_the_page_never_from_a_cdn()
    {
        PlotlyScript.StartPage();
        var first = new LineChart("a").Add("s", [1.0, 2]).Render().Single(r => r.MimeType == Rendering.Html).Content;
        var second = new LineChart("b").Add("s", [1.0, 2]).Render().Single(r => r.MimeType == Rendering.Html).Content;
        Assert.True(PlotlyScript.Available, "plotly.min.js was not copied next to Kit.Display.dll (is node_modules installed?)");
        Assert.Contains("plotly.js v", first);
        Assert.DoesNotContain("plotly.js v", second);
        Assert.DoesNotContain("https://", second);
        Assert.DoesNotContain("<script src", first);
        // A static SVG comes first, for viewers that strip scripts; the script hides it once plotly drew.
        Assert.True(second.IndexOf("<svg", StringComparison.Ordinal) < second.IndexOf("<script", StringComparison.Ordinal));
        var json = second[(second.IndexOf("var figure = ", StringComparison.Ordinal) + 13)..];
        Assert.NotNull(JsonNode.Parse(json[..json.IndexOf(";\n", StringComparison.Ordinal)]));
    }
}

public sealed class LiveRedrawTests
{
    [Fact]
    public void A_live_chart_redraw_is_data_only_and_small_even_with_long_curves()
    {
        // The first render of the page (this one, or another test's running alongside) takes plotly.js.
        var live = new Kit.Display.Live.LiveChart("loss");
        live.Append("train", 0, 2.0);
        live.Render();
        for (var step = 1; step <= 2000; step++)
        {
            live.Append("train", step, 2.0 / (1 + step / 50.0));
            if (step % 10 == 0) live.Append("validation", step, 2.1 / (1 + step / 60.0));
        }
        var redraw = live.Render().Single(r => r.MimeType == Rendering.Html).Content;

        Assert.DoesNotContain("plotly.js v", redraw);
        Assert.Contains("window.Plotly.react", redraw);
        Assert.True(redraw.Length < 100_000, $"a redraw of 2,200 points is {redraw.Length / 1000} KB (goal: under 100 KB)");
    }
}
