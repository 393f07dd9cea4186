using System.Globalization;
using System.Net;
using System.Text;
using Kit.Display.Imaging;

namespace Kit.Display.Charts;

/// <summary>Writes a <see cref="Scene"/> as a standalone SVG document.</summary>
public static class SvgWriter
{
    public static string Write(Scene scene)
    {
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{scene.Width}\" height=\"{scene.Height}\" viewBox=\"0 0 {scene.Width} {scene.Height}\" font-family=\"sans-serif\">");
        foreach (var shape in scene.Shapes)
        {
            switch (shape)
            {
                case Rect r:
                    sb.Append($"<rect x=\"{N(r.X)}\" y=\"{N(r.Y)}\" width=\"{N(r.W)}\" height=\"{N(r.H)}\" fill=\"{r.Fill.Css}\"{Opacity(r.Fill)}/>");
                    break;
                case Polyline p:
                    foreach (var run in Runs(p.Points))
                        sb.Append($"<polyline fill=\"none\" stroke=\"{p.Stroke.Css}\" stroke-width=\"{N(p.Width)}\" stroke-linejoin=\"round\"{Opacity(p.Stroke)} points=\"")
                          .AppendJoin(' ', run.Select(pt => $"{N(pt.X)},{N(pt.Y)}")).Append("\"/>");
                    break;
                case Label l:
                    var anchor = l.Anchor switch { TextAnchor.Start => "start", TextAnchor.End => "end", _ => "middle" };
                    var rotate = l.Vertical ? $" transform=\"rotate(-90 {N(l.X)} {N(l.Y)})\"" : "";
                    sb.Append($"<text x=\"{N(l.X)}\" y=\"{N(l.Y)}\" font-size=\"{N(l.Size)}\" text-anchor=\"{anchor}\"{rotate}>{WebUtility.HtmlEncode(l.Text)}</text>");
                    break;
                case Picture pic:
                    var data = Convert.ToBase64String(Png.Encode(pic.Image));
                    sb.Append($"<image x=\"{N(pic.X)}\" y=\"{N(pic.Y)}\" width=\"{N(pic.W)}\" height=\"{N(pic.H)}\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{data}\"/>");
                    break;
            }
        }
        return sb.Append("</svg>").ToString();
    }

    /// <summary>Splits a polyline at NaN points into the runs that are drawn.</summary>
    internal static IEnumerable<List<(double X, double Y)>> Runs(IReadOnlyList<(double X, double Y)> points)
    {
        var run = new List<(double X, double Y)>();
        foreach (var p in points)
        {
            if (double.IsFinite(p.X) && double.IsFinite(p.Y)) { run.Add(p); continue; }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    private static string Opacity(Color c) => c.A == 255 ? "" : $" opacity=\"{N(c.A / 255.0)}\"";

    private static string N(double v) => Math.Round(v, 2).ToString(CultureInfo.InvariantCulture);
}
