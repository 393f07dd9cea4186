namespace Kit.Display.Imaging;

/// <summary>Viridis, by linear interpolation between a few of its stops (plotly's "Viridis" scale).</summary>
public static class ColorMap
{
    private static readonly Color[] Stops =
    [
        Color.Hex("#440154"), Color.Hex("#482878"), Color.Hex("#3e4989"), Color.Hex("#31688e"), Color.Hex("#26828e"),
        Color.Hex("#1f9e89"), Color.Hex("#35b779"), Color.Hex("#6ece58"), Color.Hex("#b5de2b"), Color.Hex("#fde725"),
    ];

    /// <summary>Colour for t in [0, 1] (clamped; NaN is black).</summary>
    public static Color Viridis(double t)
    {
        if (double.IsNaN(t)) return Color.Black;
        t = Math.Clamp(t, 0, 1) * (Stops.Length - 1);
        var i = Math.Min((int)t, Stops.Length - 2);
        var f = t - i;
        var a = Stops[i];
        var b = Stops[i + 1];
        return new Color(Lerp(a.R, b.R, f), Lerp(a.G, b.G, f), Lerp(a.B, b.B, f));
    }

    private static byte Lerp(byte a, byte b, double f) => (byte)Math.Round(a + (b - a) * f);
}
