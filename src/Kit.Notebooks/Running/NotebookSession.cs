using Kit.Display;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Kit.Notebooks.Running;

/// <summary>One script state across the cells of a notebook (as the kernel keeps one per session).</summary>
public sealed class NotebookSession
{
    private readonly Action<string>? _progress;
    private readonly List<string> _references = [];
    private ScriptState<object>? _state;

    public NotebookSession(Action<string>? progress)
    {
        _progress = progress;
        Globals = new NotebookGlobals(this);
    }

    public NotebookGlobals Globals { get; }

    /// <summary>Where display(...) writes: the running cell's outputs.</summary>
    internal CellOutputs? Current { get; set; }

    public void AddReferences(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            // The kit's own assemblies are already loaded in this process: reference that very file so a
            // cell's Kit.Display types are the runner's (one IRenderable, one plotly-embedding flag).
            var loaded = AppDomain.CurrentDomain.GetAssemblies()
                .FirstOrDefault(a => !a.IsDynamic && a.GetName().Name == Path.GetFileNameWithoutExtension(p) && a.Location.Length > 0);
            var path = loaded?.Location ?? p;
            if (!_references.Contains(path)) _references.Add(path);
        }
    }

    /// <summary>Compiles and runs one cell; compile errors throw CompilationErrorException, runtime errors the exception.</summary>
    public async Task<object?> RunAsync(string code, string filePath, CancellationToken ct)
    {
        var options = ScriptEnvironment.BaseOptions
            .AddReferences(_references.Select(ScriptEnvironment.Reference))
            .WithFilePath(filePath);
        _state = _state is null
            ? await CSharpScript.RunAsync(code, options, Globals, typeof(NotebookGlobals), ct)
            : await _state.ContinueWithAsync(code, options, ct);
        return _state.ReturnValue;
    }

    internal DisplayedValue Display(object? value, string[] mimeTypes)
    {
        var outputs = Current ?? throw new InvalidOperationException("display(...) was called outside a running cell");
        var renderings = RenderFor(value, mimeTypes);
        var output = outputs.AddDisplay(renderings);
        return new DisplayedValue(outputs, output, mimeTypes, _progress);
    }

    internal static IReadOnlyList<Rendering> RenderFor(object? value, string[] mimeTypes)
    {
        var all = Renderer.Render(value);
        if (mimeTypes.Length == 0) return all;
        var chosen = all.Where(r => mimeTypes.Contains(r.MimeType)).ToList();
        return chosen.Count > 0 ? chosen : all.Where(r => r.MimeType == Rendering.Text).ToList();
    }
}
