using Kit.Data;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kit.Notebooks.Ipynb;

namespace Kit.Notebooks.Parameters;

/// <summary>
/// The parameters a notebook declares: the <c>Parameter("name", default)</c> calls of its first code cell,
/// each typed by its default. Used to check `kit run --set name=value` before the kernel starts, so a typo
/// or a wrong type is one clear line instead of a failed cell.
/// </summary>
public sealed partial class ParametersCell
{
    private ParametersCell(IReadOnlyDictionary<string, Type> declared) => Declared = declared;

    /// <summary>Name → type, in the order the cell declares them.</summary>
    public IReadOnlyDictionary<string, Type> Declared { get; }

    public static ParametersCell Of(Notebook notebook)
    {
        var first = notebook.Cells.OfType<JsonObject>().FirstOrDefault(c => c["cell_type"]?.GetValue<string>() == "code");
        var declared = new Dictionary<string, Type>(StringComparer.Ordinal);
        if (first is null) return new ParametersCell(declared);
        foreach (Match m in Call().Matches(Notebook.SourceOf(first)))
            declared.TryAdd(m.Groups["name"].Value, TypeOf(m.Groups["value"].Value.Trim()));
        return new ParametersCell(declared);
    }

    /// <summary>
    /// Checks name=value assignments against the declarations and returns the environment that sets them
    /// (KIT_PARAM_name → value as typed).
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment(IEnumerable<string> assignments)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=');
            if (eq <= 0) throw new ParameterException($"--set {a}: expected name=value");
            var (name, value) = (a[..eq].Trim(), a[(eq + 1)..]);
            if (!Declared.TryGetValue(name, out var type))
            {
                var known = Declared.Count == 0 ? "none" : string.Join(", ", Declared.Keys);
                throw new ParameterException($"--set {name}: the parameters cell (the first code cell) declares no parameter '{name}' (it declares: {known})");
            }
            if (type != typeof(object)) NotebookParameters.Convert(name, value, type);
            env[NotebookParameters.VariableFor(name)] = value;
        }
        return env;
    }

    /// <summary>The C# type of a default written as a literal; object when it is an expression (checked at run time).</summary>
    private static Type TypeOf(string literal) => literal switch
    {
        _ when literal.StartsWith('"') || literal.StartsWith("@\"", StringComparison.Ordinal) || literal.StartsWith("$\"", StringComparison.Ordinal) => typeof(string),
        "true" or "false" => typeof(bool),
        _ when literal.StartsWith("new[]", StringComparison.Ordinal) || literal.StartsWith("new string[]", StringComparison.Ordinal) => typeof(string[]),
        _ when Number().Match(literal) is { Success: true } n => n.Groups["suffix"].Value.ToLowerInvariant() switch
        {
            "l" => typeof(long),
            "f" => typeof(float),
            "m" => typeof(decimal),
            "d" => typeof(double),
            _ => n.Groups["fraction"].Success ? typeof(double) : typeof(int),
        },
        _ => typeof(object),
    };

    [GeneratedRegex("""\bParameter\s*\(\s*"(?<name>\w+)"\s*,\s*(?<value>(?:"(?:[^"\\]|\\.)*"|[^;])+?)\s*\)\s*;""")]
    private static partial Regex Call();

    [GeneratedRegex(@"^-?\d+(?<fraction>\.\d+([eE][-+]?\d+)?|[eE][-+]?\d+)?(?<suffix>[lLfFmMdD]?)$")]
    private static partial Regex Number();
}
