using Kit.Display.Imaging;
using SkiaSharp;

namespace Kit.Display.Charts;

/// <summary>
/// A chart drawn as a few pixel-space shapes, so one drawing feeds both the SVG writer and the PNG
/// rasterizer and the two always agree. It owns its pictures' bitmaps (native memory): dispose it once drawn.
/// </summary>
public sealed class Scene(int width, int height) : IDisposable
{
    public int Width { get; } = width;
    public int Height { get; } = height;
    public List<Shape> Shapes { get; } = [];

    public void Add(Shape shape) => Shapes.Add(shape);

    public void Dispose()
    {
        foreach (var picture in Shapes.OfType<Picture>()) picture.Image.Dispose();
    }
}

public abstract record Shape;

/// <summary>Connected segments; a NaN point breaks the line (a gap in a loss curve).</summary>
public sealed record Polyline(IReadOnlyList<(double X, double Y)> Points, Color Stroke, double Width) : Shape;

public sealed record Rect(double X, double Y, double W, double H, Color Fill) : Shape;

/// <summary>Text: a title, an axis label or a tick value (the SVG writes it; the PNG draws it with SkiaSharp).</summary>
public sealed record Label(double X, double Y, string Text, double Size, TextAnchor Anchor = TextAnchor.Middle, bool Vertical = false) : Shape;

/// <summary>A raster stretched over a rectangle (heatmap cells).</summary>
public sealed record Picture(double X, double Y, double W, double H, SKBitmap Image) : Shape;

public enum TextAnchor { Start, Middle, End }
