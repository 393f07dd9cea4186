using System.Globalization;
using System.Text.Json.Nodes;
using Kit.Display.Imaging;

namespace Kit.Display.Charts;

/// <summary>
/// Counts of values in equal-width bins (clip durations, peak levels). The bins are computed here and sent
/// to plotly as bars, so the interactive and static renderings show the same bins.
/// </summary>
public sealed class Histogram : Chart
{
    public Histogram(IEnumerable<double> values, int bins = 30, string? title = null, string? xLabel = null, string? yLabel = "count")
    {
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(bins), "a histogram needs at least one bin");
        Title = title; XLabel = xLabel; YLabel = yLabel;
        Values = values.Where(double.IsFinite).ToArray();
        Min = Values.Length > 0 ? Values.Min() : 0;
        Max = Values.Length > 0 ? Values.Max() : 1;
        if (Max <= Min) Max = Min + 1;
        Counts = new int[bins];
        foreach (var v in Values) Counts[Math.Min(bins - 1, (int)((v - Min) / (Max - Min) * bins))]++;
    }

    public double[] Values { get; }
    public int[] Counts { get; }
    public double Min { get; }
    public double Max { get; }
    public double BinWidth => (Max - Min) / Counts.Length;

    protected override string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"{Title ?? "histogram"}: {Values.Length} values in {Counts.Length} bins from {Min:G4} to {Max:G4}, fullest bin {Counts.Max()}");

    protected override JsonArray PlotlyData() =>
    [
        new JsonObject
        {
            ["type"] = "bar",
            ["x"] = Numbers(Enumerable.Range(0, Counts.Length).Select(i => Min + (i + 0.5) * BinWidth)),
            ["y"] = new JsonArray(Counts.Select(c => (JsonNode)c).ToArray()),
            ["width"] = BinWidth,
            ["marker"] = new JsonObject { ["color"] = Color.Series[0].Css },
        },
    ];

    protected override void PlotlyLayout(JsonObject layout) => layout["bargap"] = 0.02;

    protected override (double XMin, double XMax, double YMin, double YMax) Bounds() => (Min, Max, 0, Math.Max(1, Counts.Max()) * 1.05);

    protected override void DrawPlot(Scene scene, Axis x, Axis y)
    {
        for (var i = 0; i < Counts.Length; i++)
        {
            if (Counts[i] == 0) continue;
            double left = x.ToPixel(Min + i * BinWidth), right = x.ToPixel(Min + (i + 1) * BinWidth), top = y.ToPixel(Counts[i]);
            scene.Add(new Rect(left, top, Math.Max(1, right - left - 1), y.PixelFrom - top, Color.Series[0]));
        }
    }
}
