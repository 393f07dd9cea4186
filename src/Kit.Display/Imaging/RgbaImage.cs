namespace Kit.Display.Imaging;

/// <summary>A small RGBA raster with the few drawing operations charts need.</summary>
public sealed class RgbaImage
{
    public RgbaImage(int width, int height, Color background)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 4];
        FillRect(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Row-major RGBA bytes.</summary>
    public byte[] Pixels { get; }

    public Color this[int x, int y]
    {
        get { var i = (y * Width + x) * 4; return new Color(Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]); }
        set => Blend(x, y, value, 1);
    }

    /// <summary>Alpha-blends a colour into one pixel; coverage in [0,1] scales its alpha (for soft edges).</summary>
    public void Blend(int x, int y, Color c, double coverage)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;
        var a = c.A / 255.0 * Math.Clamp(coverage, 0, 1);
        var i = (y * Width + x) * 4;
        Pixels[i] = (byte)Math.Round(Pixels[i] * (1 - a) + c.R * a);
        Pixels[i + 1] = (byte)Math.Round(Pixels[i + 1] * (1 - a) + c.G * a);
        Pixels[i + 2] = (byte)Math.Round(Pixels[i + 2] * (1 - a) + c.B * a);
        Pixels[i + 3] = (byte)Math.Max(Pixels[i + 3], (int)Math.Round(255 * a));
    }

    public void FillRect(double x, double y, double w, double h, Color c)
    {
        int x0 = (int)Math.Round(x), y0 = (int)Math.Round(y), x1 = (int)Math.Round(x + w), y1 = (int)Math.Round(y + h);
        for (var py = Math.Max(0, y0); py < Math.Min(Height, y1); py++)
            for (var px = Math.Max(0, x0); px < Math.Min(Width, x1); px++)
                Blend(px, py, c, 1);
    }

    /// <summary>
    /// A thick line: every pixel whose centre lies within width/2 of the segment is painted, with a one-pixel
    /// soft edge (distance-to-segment coverage), which is plenty for loss curves.
    /// </summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Color c, double width)
    {
        var r = Math.Max(width, 1) / 2;
        int minX = (int)Math.Floor(Math.Min(x0, x1) - r - 1), maxX = (int)Math.Ceiling(Math.Max(x0, x1) + r + 1);
        int minY = (int)Math.Floor(Math.Min(y0, y1) - r - 1), maxY = (int)Math.Ceiling(Math.Max(y0, y1) + r + 1);
        minX = Math.Max(minX, 0); minY = Math.Max(minY, 0); maxX = Math.Min(maxX, Width - 1); maxY = Math.Min(maxY, Height - 1);
        double dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
        for (var py = minY; py <= maxY; py++)
            for (var px = minX; px <= maxX; px++)
            {
                double cx = px + 0.5, cy = py + 0.5;
                var t = len2 == 0 ? 0 : Math.Clamp(((cx - x0) * dx + (cy - y0) * dy) / len2, 0, 1);
                double ex = cx - (x0 + t * dx), ey = cy - (y0 + t * dy);
                var coverage = r + 0.5 - Math.Sqrt(ex * ex + ey * ey);
                if (coverage > 0) Blend(px, py, c, coverage);
            }
    }

    /// <summary>Draws another image scaled (nearest neighbour) into a rectangle: heatmap cells stay crisp.</summary>
    public void DrawImage(RgbaImage src, double x, double y, double w, double h)
    {
        int x0 = (int)Math.Round(x), y0 = (int)Math.Round(y), x1 = (int)Math.Round(x + w), y1 = (int)Math.Round(y + h);
        for (var py = Math.Max(0, y0); py < Math.Min(Height, y1); py++)
        {
            var sy = Math.Min(src.Height - 1, (int)((py - y0 + 0.5) * src.Height / (y1 - y0)));
            for (var px = Math.Max(0, x0); px < Math.Min(Width, x1); px++)
            {
                var sx = Math.Min(src.Width - 1, (int)((px - x0 + 0.5) * src.Width / (x1 - x0)));
                this[px, py] = src[sx, sy];
            }
        }
    }
}
