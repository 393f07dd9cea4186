using System.Runtime.InteropServices;
using Kit.Display.Imaging;
using SkiaSharp;

namespace Kit.Display.Charts;

/// <summary>
/// Draws a <see cref="Scene"/> into pixels, text included, so the PNG (what GitHub, email and terminals show)
/// carries the title, axis labels and tick values the SVG has. Lines, rectangles and pictures keep the kit's
/// own rasterizer; text is drawn by SkiaSharp (glyph shaping and anti-aliasing are not worth writing).
/// </summary>
public static class PngRasterizer
{
    public static RgbaImage Rasterize(Scene scene)
    {
        var image = new RgbaImage(scene.Width, scene.Height, Color.White);
        foreach (var shape in scene.Shapes)
        {
            switch (shape)
            {
                case Rect r: image.FillRect(r.X, r.Y, r.W, r.H, r.Fill); break;
                case Picture p: image.DrawImage(p.Image, p.X, p.Y, p.W, p.H); break;
                case Polyline line:
                    foreach (var run in SvgWriter.Runs(line.Points))
                    {
                        if (run.Count == 1) image.DrawLine(run[0].X, run[0].Y, run[0].X, run[0].Y, line.Stroke, line.Width);
                        for (var i = 1; i < run.Count; i++)
                            image.DrawLine(run[i - 1].X, run[i - 1].Y, run[i].X, run[i].Y, line.Stroke, line.Width);
                    }
                    break;
            }
        }
        DrawLabels(image, scene.Shapes.OfType<Label>().ToList());
        return image;
    }

    public static string ToBase64Png(Scene scene) => Convert.ToBase64String(PngEncoder.Encode(Rasterize(scene)));

    /// <summary>Draws the labels straight into the image's pixels (opaque, so premultiplied equals straight RGBA).</summary>
    private static void DrawLabels(RgbaImage image, IReadOnlyList<Label> labels)
    {
        if (labels.Count == 0 || ChartFont.Typeface is not { } typeface) return;
        var pin = GCHandle.Alloc(image.Pixels, GCHandleType.Pinned);
        try
        {
            using var bitmap = new SKBitmap();
            bitmap.InstallPixels(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Premul), pin.AddrOfPinnedObject(), image.Width * 4);
            using var canvas = new SKCanvas(bitmap);
            using var paint = new SKPaint { Color = new SKColor(Color.DarkGrey.R, Color.DarkGrey.G, Color.DarkGrey.B), IsAntialias = true };
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
            canvas.Flush();
        }
        finally { pin.Free(); }
    }
}
