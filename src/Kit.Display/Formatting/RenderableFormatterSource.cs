namespace Kit.Display.Formatting;

/// <summary>
/// The formatter source named by <see cref="TypeFormatterSourceAttribute"/> on the kit's renderable types:
/// one formatter per MIME type, each writing the matching <see cref="Rendering"/> of an
/// <see cref="IRenderable"/>. The kernel finds CreateTypeFormatters() by name and calls it by reflection.
/// </summary>
public sealed class RenderableFormatterSource
{
    public IEnumerable<object> CreateTypeFormatters() =>
        new[] { Rendering.Html, Rendering.Svg, Rendering.Png, Rendering.Text }.Select(m => new RenderableFormatter(m));
}

/// <summary>
/// One formatter by convention: the kernel reads <see cref="MimeType"/> by name and compiles a call to the
/// single public Format(object, TextWriter) returning bool. It has no Type property on purpose, so the
/// kernel registers it for exactly the attributed type.
/// </summary>
public sealed class RenderableFormatter
{
    public RenderableFormatter(string mimeType) => MimeType = mimeType;

    public string MimeType { get; }

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not IRenderable renderable) return false;
        var rendering = renderable.Render().FirstOrDefault(r => r.MimeType == MimeType);
        if (rendering is null) return false;
        writer.Write(rendering.Content);
        return true;
    }
}
