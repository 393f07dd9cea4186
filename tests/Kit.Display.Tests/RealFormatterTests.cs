using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive.Formatting;

namespace Kit.Display.Tests;

/// <summary>
/// The convention checked with the real thing: Microsoft.DotNet.Interactive.Formatting, the Polyglot kernel's
/// formatter, shows every kit renderable in the MIME types the kit prefers, with the content it renders.
/// (The kit never references it; the notebook tests check the same end to end through dotnet-repl.)
/// </summary>
public sealed class RealFormatterTests
{
    [Theory]
    [MemberData(nameof(KernelConventionTests.RenderableTypes), MemberType = typeof(KernelConventionTests))]
    public void The_kernels_formatter_writes_each_preferred_mime_type_as_the_value_renders_it(Type type)
    {
        var value = KernelConventionTests.Sample(type);
        var preferred = type.GetCustomAttributes(true).OfType<Kit.Display.Formatting.TypeFormatterSourceAttribute>().Single().PreferredMimeTypes!;

        var formatted = FormattedValue.CreateManyFromObject(value);

        Assert.Equal(preferred, formatted.Select(f => f.MimeType).ToArray());
        var renderings = value.Render();
        foreach (var f in formatted)
            Assert.Equal(Stable(renderings.Single(r => r.MimeType == f.MimeType).Content), Stable(f.Value));
    }

    /// <summary>What may differ between two renders: a chart's element id, plotly.js (first chart of a page only), a clock.</summary>
    private static string Stable(string s) =>
        Regex.Replace(Regex.Replace(WithoutPlotly(s), "kit-chart-[0-9a-f]{12}", "ID"), @"\d\d:\d\d", "CLOCK");

    /// <summary>The HTML without the plotly.js block the page's first chart carries.</summary>
    public static string WithoutPlotly(string s) =>
        Regex.Replace(s, @"<script type=""text/javascript"">/\* plotly\.js v.*?</script>", "", RegexOptions.Singleline);
}
