using Kit.Display.Imaging;

namespace Kit.Display.Charts;

/// <summary>Draws a <see cref="Scene"/> into pixels (labels are left to the SVG and HTML renderings).</summary>
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
        return image;
    }

    public static string ToBase64Png(Scene scene) => Convert.ToBase64String(PngEncoder.Encode(Rasterize(scene)));
}
