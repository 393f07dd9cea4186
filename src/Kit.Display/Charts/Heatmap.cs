using System.Globalization;
using System.Text.Json.Nodes;
using Kit.Display.Imaging;
using SkiaSharp;

namespace Kit.Display.Charts;

/// <summary>
/// A matrix as colours (viridis): a mel spectrogram (rows = mel bins, columns = frames, low bins at the
/// bottom) or an attention alignment (rows = decoder steps or text positions).
/// </summary>
public sealed class Heatmap : Chart
{
    /// <param name="values">values[row][column]; rows may not be ragged.</param>
    public Heatmap(IReadOnlyList<IReadOnlyList<double>> values, string? title = null, string? xLabel = null, string? yLabel = null)
    {
        if (values.Count == 0 || values[0].Count == 0) throw new ArgumentException("a heatmap needs at least one row and one column", nameof(values));
        var cols = values[0].Count;
        for (var r = 0; r < values.Count; r++)
            if (values[r].Count != cols) throw new ArgumentException($"heatmap row {r} has {values[r].Count} values, row 0 has {cols}", nameof(values));
        Values = values;
        Title = title; XLabel = xLabel; YLabel = yLabel;
        var finite = values.SelectMany(r => r).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        ZMin = finite.Min();
        ZMax = finite.Max();
    }

    /// <summary>From a row-major float array (how the kit keeps spectrograms: [bins, frames]).</summary>
    public static Heatmap FromRowMajor(ReadOnlySpan<float> data, int rows, int columns, string? title = null, string? xLabel = null, string? yLabel = null)
    {
        if (data.Length != rows * columns) throw new ArgumentException($"{data.Length} values are not {rows} x {columns}");
        var m = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            m[r] = new double[columns];
            for (var c = 0; c < columns; c++) m[r][c] = data[r * columns + c];
        }
        return new Heatmap(m, title, xLabel, yLabel);
    }

    public IReadOnlyList<IReadOnlyList<double>> Values { get; }
    public int Rows => Values.Count;
    public int Columns => Values[0].Count;
    public double ZMin { get; }
    public double ZMax { get; }

    protected override string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Title ?? "heatmap"}: {Rows} x {Columns}, values {ZMin:G4} to {ZMax:G4}");

    protected override JsonArray PlotlyData() =>
    [
        new JsonObject
        {
            ["type"] = "heatmap",
            // Four significant digits: the colour scale has far fewer levels, and a mel spectrogram's JSON shrinks to 40%.
            ["z"] = new JsonArray(Values.Select(r => (JsonNode)Numbers(r.Select(v => Significant(v, 4)))).ToArray()),
            ["colorscale"] = "Viridis",
            ["zmin"] = ZMin,
            ["zmax"] = ZMax,
            ["showscale"] = false,
        },
    ];

    private static double Significant(double v, int digits) =>
        v == 0 || !double.IsFinite(v) ? v : Math.Round(v, Math.Clamp(digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v))), 0, 15));

    protected override (double XMin, double XMax, double YMin, double YMax) Bounds() => (-0.5, Columns - 0.5, -0.5, Rows - 0.5);

    /// <summary>One pixel per cell, row 0 at the bottom (as plotly draws z[0]).</summary>
    public SKBitmap Pixels()
    {
        var img = new SKBitmap(new SKImageInfo(Columns, Rows, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var span = ZMax > ZMin ? ZMax - ZMin : 1;
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Columns; c++)
                img.SetPixel(c, Rows - 1 - r, ColorMap.Viridis((Values[r][c] - ZMin) / span).Sk);
        return img;
    }

    protected override void DrawPlot(Scene scene, Axis x, Axis y) =>
        scene.Add(new Picture(x.PixelFrom, y.PixelTo, x.PixelTo - x.PixelFrom, y.PixelFrom - y.PixelTo, Pixels()));
}
