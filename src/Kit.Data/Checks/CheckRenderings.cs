using System.Globalization;
using System.Net;
using System.Text;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Data.Checks;

/// <summary>How a check report shows itself: HTML tables in a notebook, aligned text on a terminal.</summary>
internal static class CheckRenderings
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
    internal sealed class Part(string html, string text) : IRenderable
    {
        public IReadOnlyList<Rendering> Render() => [new(Rendering.Html, html), new(Rendering.Text, text)];
        public override string ToString() => text;
    }

    private const string Style =
        "<style>.kit-check table{border-collapse:collapse;margin:.4em 0}.kit-check th,.kit-check td{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}" +
        ".kit-check .error{color:#b00020;font-weight:bold}.kit-check .warning{color:#a06000}.kit-check .bar{background:#4c78a8;height:12px}</style>";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string ReportHtml(DatasetCheckReport r)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"kit-check\">");
        sb.Append("<h3>Dataset check: ").Append(E(r.Dataset)).Append("</h3>");
        sb.Append("<p>").Append(E(Verdict(r))).Append("</p>");
        if (r.Error is null)
        {
            sb.Append(Inner(SummaryHtml(r))).Append(Inner(HistogramHtml(r.Summary.Durations.Histogram, "clip duration (s)")))
              .Append(Inner(FindingsHtml(r, 200)));
        }
        return sb.Append("</div>").ToString();
    }

    // Parts carry their own style wrapper; nested in the report they need only their content.
    private static string Inner(string partHtml) => partHtml.Replace(Style, "").Replace("<div class=\"kit-check\">", "<div>");

    public static string ReportText(DatasetCheckReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Dataset check: {r.Dataset}");
        sb.AppendLine(Verdict(r));
        if (r.Error is not null) return sb.ToString();
        sb.AppendLine().Append(SummaryText(r));
        if (r.Findings.Count > 0) sb.AppendLine().Append(FindingsText(r, 50));
        return sb.ToString();
    }

    private static string Verdict(DatasetCheckReport r) => r.ExitCode switch
    {
        2 => $"The dataset could not be read: {r.Error}",
        1 => $"{r.Summary.Errors} error(s) and {r.Summary.Warnings} warning(s): lines with errors cannot be used for training.",
        _ => r.Summary.Warnings > 0 ? $"No errors; {r.Summary.Warnings} warning(s) worth a look." : "No errors, no warnings.",
    };

    private static IEnumerable<(string Name, string Value)> SummaryRows(DatasetCheckReport r)
    {
        var s = r.Summary;
        yield return ("clips", $"{s.Clips:N0} ({s.ReadableClips:N0} readable)");
        yield return ("total audio", $"{s.TotalHours * 60:0.0} min ({s.TotalHours:0.00} h)");
        var d = s.Durations;
        yield return ("duration", string.Format(Inv, "min {0:0.00} s, median {1:0.00} s, mean {2:0.00} s, max {3:0.00} s (5–95%: {4:0.00}–{5:0.00} s)", d.Min, d.Median, d.Mean, d.Max, d.P5, d.P95));
        var rate = s.SpeakingRates;
        yield return ("speaking rate", string.Format(Inv, "median {0:0.0} characters/s (5–95%: {1:0.0}–{2:0.0})", rate.Median, rate.P5, rate.P95));
        yield return ("sample rates", string.Join(", ", s.SampleRates.Select(kv => $"{kv.Key:N0} Hz × {kv.Value}")));
        yield return ("channels", string.Join(", ", s.Channels.Select(kv => $"{(kv.Key == 1 ? "mono" : kv.Key + " channels")} × {kv.Value}")));
        yield return ("formats", string.Join(", ", s.Formats.Select(kv => $"{kv.Key} × {kv.Value}")));
        yield return ("characters", s.CharacterSet.Replace("\n", "\\n"));
        if (s.UnsupportedCharacters.Length > 0) yield return ("unsupported characters", DatasetCheck.DescribeCharacters(s.UnsupportedCharacters));
        foreach (var sp in s.Splits)
            yield return ($"{sp.ListFile} ({sp.Split.ToString().ToLowerInvariant()})",
                string.Format(Inv, "{0} usable of {1} lines ({2:0.0} min), {3} error(s), {4} warning(s)", sp.Usable, sp.Lines, sp.UsableHours * 60, sp.Errors, sp.Warnings));
        if (s.FindingsByCode.Count > 0)
            yield return ("findings", string.Join(", ", s.FindingsByCode.Select(kv => $"{kv.Key} × {kv.Value}")));
    }

    public static string SummaryHtml(DatasetCheckReport r)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"kit-check\"><table><caption>Summary</caption><tbody>");
        foreach (var (name, value) in SummaryRows(r))
            sb.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        return sb.Append("</tbody></table></div>").ToString();
    }

    public static string SummaryText(DatasetCheckReport r)
    {
        var rows = SummaryRows(r).ToList();
        int width = rows.Max(x => x.Name.Length);
        var sb = new StringBuilder();
        foreach (var (name, value) in rows) sb.Append(name.PadRight(width)).Append("  ").AppendLine(value);
        return sb.ToString();
    }

    public static string FindingsHtml(DatasetCheckReport r, int limit)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"kit-check\"><table><caption>Findings (")
            .Append(r.Findings.Count.ToString("N0", Inv)).Append(")</caption>");
        if (r.Findings.Count == 0) return sb.Append("<tbody><tr><td>none</td></tr></tbody></table></div>").ToString();
        sb.Append("<thead><tr><th>split</th><th>line</th><th>file</th><th>code</th><th>severity</th><th>message</th></tr></thead><tbody>");
        foreach (var f in r.Findings.Take(limit))
        {
            var severity = f.Severity.ToString().ToLowerInvariant();
            sb.Append("<tr><td>").Append(f.Split.ToString().ToLowerInvariant()).Append("</td><td>").Append(f.Line)
              .Append("</td><td>").Append(E(f.File)).Append("</td><td><code>").Append(E(f.Code))
              .Append("</code></td><td class=\"").Append(severity).Append("\">").Append(severity)
              .Append("</td><td>").Append(E(f.Message)).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");
        if (r.Findings.Count > limit) sb.Append("<p>… and ").Append(r.Findings.Count - limit).Append(" more (the JSON report has them all)</p>");
        return sb.Append("</div>").ToString();
    }

    public static string FindingsText(DatasetCheckReport r, int limit)
    {
        if (r.Findings.Count == 0) return "No findings.\n";
        var sb = new StringBuilder();
        foreach (var f in r.Findings.Take(limit)) sb.AppendLine(f.ToString());
        if (r.Findings.Count > limit) sb.AppendLine($"... and {r.Findings.Count - limit} more (see the JSON report)");
        return sb.ToString();
    }

    public static string HistogramHtml(HistogramBins h, string label)
    {
        var sb = new StringBuilder(Style).Append("<div class=\"kit-check\"><table><caption>").Append(E(label)).Append("</caption><tbody>");
        int max = h.Counts.Length == 0 ? 1 : Math.Max(1, h.Counts.Max());
        for (int i = 0; i < h.Counts.Length; i++)
        {
            double from = h.Start + i * h.Width;
            sb.Append("<tr><td>").Append(string.Format(Inv, "{0:0.##}–{1:0.##}", from, from + h.Width)).Append("</td><td>")
              .Append(h.Counts[i]).Append("</td><td style=\"width:300px\"><div class=\"bar\" style=\"width:")
              .Append((100.0 * h.Counts[i] / max).ToString("0.#", Inv)).Append("%\"></div></td></tr>");
        }
        return sb.Append("</tbody></table></div>").ToString();
    }

    public static string HistogramText(HistogramBins h, string unit)
    {
        var sb = new StringBuilder();
        int max = h.Counts.Length == 0 ? 1 : Math.Max(1, h.Counts.Max());
        for (int i = 0; i < h.Counts.Length; i++)
        {
            double from = h.Start + i * h.Width;
            sb.Append(string.Format(Inv, "{0,7:0.##}–{1,-7:0.##}{2} {3,6} ", from, from + h.Width, unit, h.Counts[i]))
              .AppendLine(new string('#', (int)Math.Round(40.0 * h.Counts[i] / max)));
        }
        return sb.ToString();
    }
}
