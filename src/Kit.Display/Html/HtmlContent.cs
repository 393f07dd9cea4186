using Kit.Display.Formatting;

namespace Kit.Display.Html;

/// <summary>
/// Raw HTML to show as is (what the kernel's HTML("...") returns). A plain string is shown as text instead.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class HtmlContent : IRenderable
{
    public HtmlContent(string html) => Html = html;

    public string Html { get; }

    public IReadOnlyList<Rendering> Render() =>
        [new Rendering(Rendering.Html, Html), new Rendering(Rendering.Text, Html)];

    public override string ToString() => Html;
}
