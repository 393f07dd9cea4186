using SkiaSharp;

namespace Kit.Display.Imaging;

/// <summary>PNG bytes of a bitmap, by SkiaSharp's encoder (lossless, so pixels read back exactly).</summary>
public static class Png
{
    public static byte[] Encode(SKBitmap bitmap)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode a {bitmap.Width}x{bitmap.Height} {bitmap.ColorType} bitmap as PNG");
        return data.ToArray();
    }
}
