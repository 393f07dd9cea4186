using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Kit.Notebooks.Running;

/// <summary>
/// The script options every cell shares, built once per process: metadata references for the shared
/// framework are the slow part, so they are made once and reused by every cell of every notebook.
/// </summary>
public static class ScriptEnvironment
{
    /// <summary>The C# kernel's default imports.</summary>
    public static readonly string[] Imports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly Lazy<ScriptOptions> Options = new(Create);
    private static readonly Dictionary<string, MetadataReference> FileReferences = new(StringComparer.Ordinal);

    public static ScriptOptions BaseOptions => Options.Value;

    private static ScriptOptions Create()
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = Directory.GetFiles(runtimeDir, "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var kit = new[] { typeof(Display.IRenderable).Assembly, typeof(ScriptEnvironment).Assembly }
            .Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location));
        return ScriptOptions.Default
            .WithReferences(framework.Concat(kit))
            .WithImports(Imports)
            .WithEmitDebugInformation(true) // line numbers in runtime stack traces
            .WithFileEncoding(Encoding.UTF8)
            .WithAllowUnsafe(true);
    }

    /// <summary>A reference for a #r'd file, made once per path.</summary>
    public static MetadataReference Reference(string path)
    {
        lock (FileReferences)
        {
            if (!FileReferences.TryGetValue(path, out var r)) FileReferences[path] = r = MetadataReference.CreateFromFile(path);
            return r;
        }
    }
}
