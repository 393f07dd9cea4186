using SkiaSharp;

namespace Kit.Display.Charts;

/// <summary>
/// The typeface chart PNGs are lettered with. The kit ships SkiaSharp's native library without dependencies
/// (no fontconfig, so it runs on a bare Debian), which also means no font lookup by name: the font is loaded
/// by path. DejaVu Sans comes from Debian's fonts-dejavu-core (setup.sh installs it); the others cover
/// common Linux, macOS and Windows machines. With none of them the PNG has no text (the SVG still does).
/// </summary>
public static class ChartFont
{
    public static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "/Library/Fonts/Arial.ttf",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private static readonly Lazy<SKTypeface?> Loaded = new(Load);

    /// <summary>The first candidate font found, or null (also when SkiaSharp's native library cannot load).</summary>
    public static SKTypeface? Typeface => Loaded.Value;

    private static SKTypeface? Load()
    {
        try { return Candidates.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null); }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException) { return null; }
    }
}
