using System.Globalization;

namespace Kit.Display.Charts;

/// <summary>A linear axis: maps data values to pixels and picks round tick values (1, 2 or 5 × 10^k).</summary>
public sealed class Axis
{
    public Axis(double min, double max, double pixelFrom, double pixelTo)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max <= min) (min, max) = (min - 0.5, max + 0.5);
        Min = min; Max = max; PixelFrom = pixelFrom; PixelTo = pixelTo;
    }

    public double Min { get; }
    public double Max { get; }
    public double PixelFrom { get; }
    public double PixelTo { get; }

    public double ToPixel(double v) => PixelFrom + (v - Min) / (Max - Min) * (PixelTo - PixelFrom);

    public IEnumerable<double> Ticks(int target = 6)
    {
        var raw = (Max - Min) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(Min / step) * step; t <= Max + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    public static string Format(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
