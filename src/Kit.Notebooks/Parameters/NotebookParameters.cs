using Kit.Data;
using System.Globalization;

namespace Kit.Notebooks.Parameters;

/// <summary>
/// A notebook's parameters cell reads each value through <see cref="Parameter{T}"/>: the default written in
/// the cell, or the environment variable KIT_PARAM_&lt;name&gt; when it is set. The environment reaches the
/// kernel the same way in VS Code (the editor's environment, a Codespace's remoteEnv) and headless
/// (`kit run --set name=value` sets it for dotnet-repl), so a notebook runs on other data without an edit,
/// on one engine. The cell stays plain C#: <c>var steps = Parameter("steps", 40);</c>.
/// </summary>
public static class NotebookParameters
{
    public const string Prefix = "KIT_PARAM_";

    /// <summary>The value of parameter <paramref name="name"/>: KIT_PARAM_name from the environment, else <paramref name="value"/>.</summary>
    public static T Parameter<T>(string name, T value)
    {
        var text = Environment.GetEnvironmentVariable(Prefix + name);
        return text is null ? value : (T)Convert(name, text, typeof(T));
    }

    /// <summary>The environment variable that sets parameter <paramref name="name"/>.</summary>
    public static string VariableFor(string name) => Prefix + name;

    /// <summary>
    /// Text as typed on the command line, converted to a parameter's type: string, bool, int, long, double,
    /// float, decimal, or string[] (items separated by '|', as in LJSpeech lists).
    /// </summary>
    public static object Convert(string name, string text, Type type)
    {
        var inv = CultureInfo.InvariantCulture;
        object Fail() => throw new ParameterException($"{name}={text}: not a valid {Describe(type)}");
        if (type == typeof(string)) return text;
        if (type == typeof(string[])) return text.Split('|');
        if (type == typeof(bool)) return bool.TryParse(text, out var b) ? b : Fail();
        if (type == typeof(int)) return int.TryParse(text, NumberStyles.Integer, inv, out var i) ? i : Fail();
        if (type == typeof(long)) return long.TryParse(text, NumberStyles.Integer, inv, out var l) ? l : Fail();
        if (type == typeof(double)) return double.TryParse(text, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : Fail();
        if (type == typeof(float)) return float.TryParse(text, NumberStyles.Float, inv, out var f) && float.IsFinite(f) ? f : Fail();
        if (type == typeof(decimal)) return decimal.TryParse(text, NumberStyles.Float, inv, out var m) ? m : Fail();
        throw new ParameterException($"{name}: parameters of type {type.Name} cannot be set from outside the notebook (use string, string[], bool, int, long, double, float or decimal)");
    }

    private static string Describe(Type t) =>
        t == typeof(int) ? "int" : t == typeof(long) ? "long" : t == typeof(bool) ? "bool (true or false)" :
        t == typeof(double) ? "double" : t == typeof(float) ? "float" : t == typeof(decimal) ? "decimal" : t.Name;
}
