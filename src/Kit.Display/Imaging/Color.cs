using System.Globalization;
using SkiaSharp;

namespace Kit.Display.Imaging;

/// <summary>An opaque-or-not RGBA colour; writes itself as CSS hex for SVG and plotly.</summary>
public readonly record struct Color(byte R, byte G, byte B, byte A = 255)
{
    public static readonly Color White = new(255, 255, 255);
    public static readonly Color Black = new(0, 0, 0);
    public static readonly Color Grey = new(200, 200, 200);
    public static readonly Color DarkGrey = new(68, 68, 68);

    /// <summary>The series colours (plotly's default cycle, so the HTML, SVG and PNG agree).</summary>
    public static readonly Color[] Series =
    [
        Hex("#1f77b4"), Hex("#ff7f0e"), Hex("#2ca02c"), Hex("#d62728"), Hex("#9467bd"),
        Hex("#8c564b"), Hex("#e377c2"), Hex("#7f7f7f"), Hex("#bcbd22"), Hex("#17becf"),
    ];

    public static Color Hex(string hex) => new(
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber));

    public string Css => $"#{R:x2}{G:x2}{B:x2}";

    public SKColor Sk => new(R, G, B, A);

    public static Color From(SKColor c) => new(c.Red, c.Green, c.Blue, c.Alpha);
}
