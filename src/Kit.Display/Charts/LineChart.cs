using System.Globalization;
using System.Text.Json.Nodes;
using Kit.Display.Imaging;

namespace Kit.Display.Charts;

/// <summary>Lines over a shared x axis: training and validation losses against steps.</summary>
public sealed class LineChart : Chart
{
    private readonly List<Series> _series = [];

    public LineChart(string? title = null, string? xLabel = null, string? yLabel = null)
    {
        Title = title; XLabel = xLabel; YLabel = yLabel;
    }

    public IReadOnlyList<Series> Series => _series;

    /// <summary>Adds a series plotted at x = 0, 1, 2, ….</summary>
    public LineChart Add(string name, IEnumerable<double> y)
    {
        var ys = y.ToList();
        return Add(name, Enumerable.Range(0, ys.Count).Select(i => (double)i), ys);
    }

    public LineChart Add(string name, IEnumerable<double> x, IEnumerable<double> y)
    {
        var s = GetOrAdd(name);
        var xs = x.ToList();
        var ys = y.ToList();
        if (xs.Count != ys.Count) throw new ArgumentException($"series '{name}': {xs.Count} x values but {ys.Count} y values");
        s.X.AddRange(xs);
        s.Y.AddRange(ys);
        return this;
    }

    /// <summary>Appends one point to a series (created on first use): what a training loop calls each step.</summary>
    public LineChart Append(string name, double x, double y)
    {
        var s = GetOrAdd(name);
        s.X.Add(x);
        s.Y.Add(y);
        return this;
    }

    private Series GetOrAdd(string name)
    {
        var s = _series.FirstOrDefault(s => s.Name == name);
        if (s is null) _series.Add(s = new Series(name, Color.Series[_series.Count % Color.Series.Length]));
        return s;
    }

    protected override string Summary()
    {
        var head = $"{Title ?? "line chart"}";
        var lines = _series.Select(s =>
            $"  {s.Name}: {s.Y.Count} points" + (s.Y.Count > 0 ? $", last {s.Y[^1].ToString("G4", CultureInfo.InvariantCulture)} at {s.X[^1].ToString("G6", CultureInfo.InvariantCulture)}" +
                                                 $", min {s.Y.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min().ToString("G4", CultureInfo.InvariantCulture)}" : ""));
        return string.Join('\n', lines.Prepend(head));
    }

    protected override JsonArray PlotlyData() => new(_series.Select(s => (JsonNode)new JsonObject
    {
        ["type"] = "scatter",
        ["mode"] = "lines",
        ["name"] = s.Name,
        ["x"] = Numbers(s.X),
        ["y"] = Numbers(s.Y),
        ["line"] = new JsonObject { ["color"] = s.Color.Css, ["width"] = 2 },
    }).ToArray());

    protected override (double XMin, double XMax, double YMin, double YMax) Bounds()
    {
        var xs = _series.SelectMany(s => s.X).Where(double.IsFinite).ToList();
        var ys = _series.SelectMany(s => s.Y).Where(double.IsFinite).ToList();
        if (xs.Count == 0 || ys.Count == 0) return (0, 1, 0, 1);
        var pad = (ys.Max() - ys.Min()) * 0.05;
        return (xs.Min(), xs.Max(), ys.Min() - pad, ys.Max() + pad);
    }

    protected override void DrawPlot(Scene scene, Axis x, Axis y)
    {
        foreach (var s in _series)
            scene.Add(new Polyline(s.X.Zip(s.Y, (a, b) => (x.ToPixel(a), y.ToPixel(b))).ToList(), s.Color, 2));
        for (var i = 0; i < _series.Count && _series.Count > 1; i++)
        {
            var ly = MarginTop + 8 + i * 16;
            scene.Add(new Polyline([(x.PixelTo - 110, ly), (x.PixelTo - 90, ly)], _series[i].Color, 2));
            scene.Add(new Label(x.PixelTo - 84, ly + 4, _series[i].Name, 11, TextAnchor.Start));
        }
    }
}

/// <summary>One named line of a <see cref="LineChart"/>.</summary>
public sealed class Series(string name, Color color)
{
    public string Name { get; } = name;
    public Color Color { get; } = color;
    public List<double> X { get; } = [];
    public List<double> Y { get; } = [];
}
