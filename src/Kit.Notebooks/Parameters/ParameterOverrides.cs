using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Kit.Notebooks.Parameters;

/// <summary>
/// `--set name=value`: a notebook's first code cell declares its parameters as plain C# variables
/// (`var datasetPath = "…";`, `int steps = 40;`), like papermill's parameters cell. An override replaces
/// that variable's initializer with a literal of the declared type.
/// </summary>
public static class ParameterOverrides
{
    /// <summary>Parses "name=value" arguments.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> assignments)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=');
            if (eq <= 0) throw new ParameterException($"--set {a}: expected name=value");
            result[a[..eq].Trim()] = a[(eq + 1)..];
        }
        return result;
    }

    /// <summary>Returns the cell source with each overridden initializer replaced.</summary>
    public static string Apply(string source, IReadOnlyDictionary<string, string> overrides)
    {
        if (overrides.Count == 0) return source;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(kind: SourceCodeKind.Script));
        var declarators = tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>()
            .Where(d => d.Parent is VariableDeclarationSyntax { Parent: FieldDeclarationSyntax or LocalDeclarationStatementSyntax })
            .ToDictionary(d => d.Identifier.Text, d => d);
        var edits = new List<(TextSpanEdit Edit, int Start)>();
        foreach (var (name, value) in overrides)
        {
            if (!declarators.TryGetValue(name, out var d) || d.Initializer is null)
            {
                var known = declarators.Count == 0 ? "none" : string.Join(", ", declarators.Keys);
                throw new ParameterException($"--set {name}: the parameters cell (the first code cell) declares no variable '{name}' with an initializer (it declares: {known})");
            }
            var type = ((VariableDeclarationSyntax)d.Parent!).Type;
            var literal = Literal(name, TypeName(type, d.Initializer.Value), value);
            edits.Add((new TextSpanEdit(d.Initializer.Value.SpanStart, d.Initializer.Value.Span.Length, literal), d.Initializer.Value.SpanStart));
        }
        foreach (var (edit, _) in edits.OrderByDescending(e => e.Start))
            source = source.Remove(edit.Start, edit.Length).Insert(edit.Start, edit.Text);
        return source;
    }

    private readonly record struct TextSpanEdit(int Start, int Length, string Text);

    /// <summary>The declared type, or for `var` the type of the literal it is initialised with.</summary>
    private static string TypeName(TypeSyntax type, ExpressionSyntax initializer)
    {
        if (!type.IsVar) return type.ToString().Replace("System.", "", StringComparison.Ordinal);
        return initializer switch
        {
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } => "string",
            InterpolatedStringExpressionSyntax => "string",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } => "bool",
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } l => l.Token.Value switch
            {
                int => "int", long => "long", double => "double", float => "float", decimal => "decimal", _ => "double",
            },
            PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax l } => TypeName(type, l),
            _ => throw new ParameterException($"cannot tell the type of 'var' initialised with `{initializer}`: declare the parameter with its type (string, int, double, bool)"),
        };
    }

    private static string Literal(string name, string type, string value)
    {
        var inv = CultureInfo.InvariantCulture;
        string Fail() => throw new ParameterException($"--set {name}={value}: not a valid {type}");
        return type switch
        {
            "string" or "String" or "string?" => SymbolDisplay.FormatLiteral(value, quote: true),
            "bool" or "Boolean" => bool.TryParse(value, out var b) ? (b ? "true" : "false") : Fail(),
            "int" or "Int32" => int.TryParse(value, NumberStyles.Integer, inv, out var i) ? i.ToString(inv) : Fail(),
            "long" or "Int64" => long.TryParse(value, NumberStyles.Integer, inv, out var l) ? l.ToString(inv) + "L" : Fail(),
            "double" or "Double" => double.TryParse(value, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d.ToString("R", inv) + "d" : Fail(),
            "float" or "Single" => float.TryParse(value, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f.ToString("R", inv) + "f" : Fail(),
            "decimal" or "Decimal" => decimal.TryParse(value, NumberStyles.Float, inv, out var m) ? m.ToString(inv) + "m" : Fail(),
            _ => throw new ParameterException($"--set {name}: parameters of type {type} cannot be set from the command line (use string, int, long, double, float, decimal or bool)"),
        };
    }
}

public sealed class ParameterException(string message) : Exception(message);
