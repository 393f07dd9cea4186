using System.Diagnostics;
using System.Text.Json.Nodes;
using Kit.Display;
using Kit.Display.Html;

namespace Kit.Notebooks.Running;

/// <summary>
/// What every cell sees without a using, as in the C# kernel's `using static Microsoft.DotNet.Interactive.Kernel`:
/// display(x) and HTML(s).
/// </summary>
public sealed class NotebookGlobals
{
    private readonly NotebookSession _session;

    internal NotebookGlobals(NotebookSession session) => _session = session;

    /// <summary>Shows a value now; the handle's Update(y) redraws it in place.</summary>
    public DisplayedValue display(object? value, params string[] mimeTypes) => _session.Display(value, mimeTypes);

    /// <summary>Raw HTML (a plain string would be shown as text).</summary>
    public HtmlContent HTML(string html) => new(html);
}

/// <summary>
/// A displayed value (the kernel's DisplayedValue has the same Update(object)): updating replaces the one
/// output it owns, and headless it also prints the new text on the progress stream, at most once a second.
/// </summary>
public sealed class DisplayedValue
{
    private readonly CellOutputs _outputs;
    private readonly JsonObject _output;
    private readonly string[] _mimeTypes;
    private readonly Action<string>? _progress;
    private readonly Stopwatch _sincePrint = Stopwatch.StartNew();

    internal DisplayedValue(CellOutputs outputs, JsonObject output, string[] mimeTypes, Action<string>? progress)
    {
        _outputs = outputs;
        _output = output;
        _mimeTypes = mimeTypes;
        _progress = progress;
        DisplayId = Guid.NewGuid().ToString("N");
    }

    public string DisplayId { get; }

    public void Update(object? updatedValue)
    {
        var renderings = NotebookSession.RenderFor(updatedValue, _mimeTypes);
        _outputs.Replace(_output, renderings);
        if (_progress is null || _sincePrint.Elapsed < TimeSpan.FromSeconds(1)) return;
        _sincePrint.Restart();
        _progress(renderings.FirstOrDefault(r => r.MimeType == Rendering.Text)?.Content ?? Renderer.Text(updatedValue));
    }
}
