namespace Kit.Display;

/// <summary>
/// A value the kit shows: a report, a table, a chart, an audio player. It renders itself, so the Polyglot
/// kernel (in VS Code and in dotnet-repl) and the command line show the same thing without the library
/// referencing dotnet-interactive.
/// </summary>
public interface IRenderable
{
    /// <summary>
    /// The value in each MIME type it can show as, richest first. Always includes text/plain; reports add
    /// text/html; charts add image/svg+xml and image/png (PNG content is base64).
    /// </summary>
    IReadOnlyList<Rendering> Render();
}

/// <summary>One representation of a rendered value.</summary>
public sealed record Rendering(string MimeType, string Content)
{
    public const string Html = "text/html";
    public const string Text = "text/plain";
    public const string Svg = "image/svg+xml";
    public const string Png = "image/png";
}
