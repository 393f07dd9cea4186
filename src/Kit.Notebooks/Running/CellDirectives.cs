using System.Text.RegularExpressions;

namespace Kit.Notebooks.Running;

/// <summary>
/// The directive lines of a cell the Polyglot C# kernel also accepts, taken out before compiling:
/// #!csharp, #!markdown (the cell is markdown), #r "path.dll" and #r "nuget: Kit.X". Directive lines become
/// blank lines so compiler line numbers stay the cell's line numbers. Anything the headless runner cannot
/// honour is an error naming the line, never silently skipped.
/// </summary>
public sealed partial class CellDirectives
{
    public required string Code { get; init; }
    public bool IsMarkdown { get; init; }
    public IReadOnlyList<string> References { get; init; } = [];

    public static CellDirectives Parse(string source, string baseDirectory, KitReferences kit)
    {
        var lines = source.Split('\n');
        var references = new List<string>();
        var seenCode = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = line.Split(' ', 2)[0];
                switch (magic)
                {
                    case "#!csharp" or "#!c#" or "#!C#":
                        lines[i] = "";
                        break;
                    case "#!markdown" when !seenCode:
                        return new CellDirectives { Code = "", IsMarkdown = true };
                    case "#!fsharp" or "#!f#" or "#!F#" or "#!pwsh" or "#!powershell" or "#!javascript" or "#!js" or "#!html" or "#!sql" or "#!kql" or "#!markdown" or "#!mermaid" or "#!value" or "#!http":
                        throw new DirectiveException(i + 1, $"'{magic}' switches to another kernel; the headless runner runs C# only (use #!csharp or move this code to a C# cell)");
                    default:
                        throw new DirectiveException(i + 1, $"the magic command '{magic}' is not supported by the headless runner (it accepts #!csharp, #!markdown, #r)");
                }
                continue;
            }
            if (line.StartsWith("#r ", StringComparison.Ordinal) || line.StartsWith("#r\"", StringComparison.Ordinal))
            {
                var m = QuotedArgument().Match(line);
                if (!m.Success) throw new DirectiveException(i + 1, $"cannot read '{line}': expected #r \"path.dll\" or #r \"nuget: Kit.Name\"");
                var arg = m.Groups[1].Value.Trim();
                if (arg.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                {
                    var id = arg["nuget:".Length..].Split(',')[0].Trim();
                    try { references.AddRange(kit.Resolve(id)); }
                    catch (FileNotFoundException e) { throw new DirectiveException(i + 1, e.Message); }
                }
                else
                {
                    var path = Path.GetFullPath(Path.Combine(baseDirectory, arg));
                    if (!File.Exists(path)) throw new DirectiveException(i + 1, $"#r \"{arg}\": {path} does not exist (paths resolve from the notebook's folder, as in the Polyglot kernel)");
                    references.Add(path);
                }
                lines[i] = "";
                continue;
            }
            if (line.StartsWith("#i ", StringComparison.Ordinal) || line == "#i")
                throw new DirectiveException(i + 1, "#i (package sources) is not supported by the headless runner: it resolves only the kit's own packages, from the local build");
            if (line.Length > 0 && !line.StartsWith("//", StringComparison.Ordinal)) seenCode = true;
        }
        return new CellDirectives { Code = string.Join('\n', lines), References = references };
    }

    [GeneratedRegex("^#r\\s*\"([^\"]*)\"\\s*(//.*)?$")]
    private static partial Regex QuotedArgument();
}

/// <summary>A directive the runner cannot honour, at a 1-based line of the cell.</summary>
public sealed class DirectiveException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}
