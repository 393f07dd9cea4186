using Kit.Display.Imaging;
using SkiaSharp;

namespace Kit.Display.Charts;

/// <summary>
/// Draws a <see cref="Scene"/> into pixels with SkiaSharp (lines, rectangles, pictures and text), so the PNG
/// (what GitHub, email and terminals show) carries what the SVG has, title, axis labels and tick values included.
/// </summary>
public static class PngRasterizer
{
    /// <summary>The scene on a white bitmap; the caller disposes it.</summary>
    public static SKBitmap Rasterize(Scene scene)
    {
        var bitmap = new SKBitmap(new SKImageInfo(scene.Width, scene.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        foreach (var shape in scene.Shapes)
        {
            switch (shape)
            {
                case Rect r:
                    using (var fill = new SKPaint { Color = r.Fill.Sk, Style = SKPaintStyle.Fill })
                        canvas.DrawRect(Snapped(r.X, r.Y, r.W, r.H), fill);
                    break;
                case Picture p:
                    // Nearest neighbour: heatmap cells stay crisp, each pixel exactly its cell's colour.
                    using (var image = SKImage.FromBitmap(p.Image))
                        canvas.DrawImage(image, Snapped(p.X, p.Y, p.W, p.H), new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
                    break;
                case Polyline line:
                    DrawPolyline(canvas, line);
                    break;
            }
        }
        DrawLabels(canvas, scene.Shapes.OfType<Label>().ToList());
        canvas.Flush();
        return bitmap;
    }

    public static byte[] Encode(Scene scene)
    {
        using var bitmap = Rasterize(scene);
        return Png.Encode(bitmap);
    }

    public static string ToBase64Png(Scene scene) => Convert.ToBase64String(Encode(scene));

    /// <summary>Whole-pixel edges, so filled areas have no blended border.</summary>
    private static SKRect Snapped(double x, double y, double w, double h) =>
        new((float)Math.Round(x), (float)Math.Round(y), (float)Math.Round(x + w), (float)Math.Round(y + h));

    private static void DrawPolyline(SKCanvas canvas, Polyline line)
    {
        var width = (float)Math.Max(line.Width, 1);
        using var stroke = new SKPaint
        {
            Color = line.Stroke.Sk, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = width,
            StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round,
        };
        foreach (var run in SvgWriter.Runs(line.Points))
        {
            if (run.Count == 1)
            {
                // A lone point between gaps: a dot as wide as the line.
                using var dot = new SKPaint { Color = line.Stroke.Sk, IsAntialias = true, Style = SKPaintStyle.Fill };
                canvas.DrawCircle((float)run[0].X, (float)run[0].Y, width / 2, dot);
                continue;
            }
            using var builder = new SKPathBuilder();
            builder.MoveTo((float)run[0].X, (float)run[0].Y);
            for (var i = 1; i < run.Count; i++) builder.LineTo((float)run[i].X, (float)run[i].Y);
            using var path = builder.Detach();
            canvas.DrawPath(path, stroke);
        }
    }

    private static void DrawLabels(SKCanvas canvas, IReadOnlyList<Label> labels)
    {
        if (labels.Count == 0 || ChartFont.Typeface is not { } typeface) return;
        using var paint = new SKPaint { Color = Color.DarkGrey.Sk, IsAntialias = true };
        foreach (var l in labels)
        {
            using var font = new SKFont(typeface, (float)l.Size) { Subpixel = true, Edging = SKFontEdging.Antialias };
            var align = l.Anchor switch { TextAnchor.Start => SKTextAlign.Left, TextAnchor.End => SKTextAlign.Right, _ => SKTextAlign.Center };
            canvas.Save();
            canvas.Translate((float)l.X, (float)l.Y);
            if (l.Vertical) canvas.RotateDegrees(-90);
            canvas.DrawText(l.Text, 0, 0, align, font, paint);
            canvas.Restore();
        }
    }
}
