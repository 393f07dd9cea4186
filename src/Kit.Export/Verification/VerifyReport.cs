using System.Net;
using System.Text;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Export.Verification;

/// <summary>The outcome of checking a bundle against its manifest: one line per file that is not right.</summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed record VerifyReport(string Where, int FilesChecked, long BytesChecked, IReadOnlyList<VerifyProblem> Problems) : IRenderable
{
    public bool Ok => Problems.Count == 0;

    /// <summary>
    /// manifest.json itself was checked too (an export, against the copy it uploaded), on top of the
    /// <see cref="FilesChecked"/> files the manifest lists; an import reads the manifest and checks those files.
    /// </summary>
    public bool IncludesManifest { get; init; }

    public override string ToString()
    {
        var sb = new StringBuilder();
        var manifest = IncludesManifest ? " and manifest.json" : "";
        sb.Append(Ok
            ? $"verified {FilesChecked} files ({BytesChecked:N0} bytes){manifest} at {Where}: sizes and checksums match the manifest"
            : $"{Problems.Count} of {FilesChecked} files{manifest} at {Where} do not match the manifest:");
        foreach (var p in Problems) sb.Append($"\n  {p.Path}: {p.Detail}");
        return sb.ToString();
    }

    public IReadOnlyList<Rendering> Render()
    {
        var html = new StringBuilder();
        html.Append(Ok ? "<p>✔ " : "<p>✘ ").Append(WebUtility.HtmlEncode(ToString().Split('\n')[0])).Append("</p>");
        if (!Ok)
        {
            html.Append("<table><tr><th>file</th><th>problem</th></tr>");
            foreach (var p in Problems)
                html.Append($"<tr><td>{WebUtility.HtmlEncode(p.Path)}</td><td>{WebUtility.HtmlEncode(p.Detail)}</td></tr>");
            html.Append("</table>");
        }
        return [new Rendering(Rendering.Html, html.ToString()), new Rendering(Rendering.Text, ToString())];
    }
}

public sealed record VerifyProblem(string Path, string Detail);
