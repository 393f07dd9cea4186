namespace Kit.Training.Parameters;

/// <summary>
/// Values the user fixed, by canonical name, already parsed and checked on their own (type, range,
/// LRDecaySteps shape). Rules that involve the dataset or other values are checked after calculation.
/// </summary>
public sealed class ParameterOverrides
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public static ParameterOverrides None => new();

    public IReadOnlyDictionary<string, object> Values => _values;

    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>From <c>Name=value</c> assignments (the CLI's <c>--set</c>). A blank value keeps the calculated one.</summary>
    public static ParameterOverrides Parse(IEnumerable<string> assignments)
    {
        var result = new ParameterOverrides();
        foreach (var assignment in assignments)
        {
            var eq = assignment.IndexOf('=');
            if (eq <= 0)
                throw new ParameterException($"'{assignment}': expected Name=value, e.g. TrainBS=32");
            result.Add(assignment[..eq], assignment[(eq + 1)..]);
        }
        return result;
    }

    /// <summary>From one line of assignments separated by ';' or new lines (a notebook's parameters cell): "TrainBS=32; Fp16=true".</summary>
    public static ParameterOverrides ParseLine(string? assignments) =>
        Parse((assignments ?? "").Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>From a dictionary of names to text or typed values (the API and notebooks). Null or blank keeps the calculated value.</summary>
    public static ParameterOverrides From(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var result = new ParameterOverrides();
        foreach (var (name, value) in values) result.Add(name, value);
        return result;
    }

    private void Add(string name, object? raw)
    {
        var spec = ParameterCatalog.Find(name);
        var value = ParameterCatalog.Normalize(spec, raw);
        if (value is null) return;
        if (!_values.TryAdd(spec.Name, value))
            throw new ParameterException($"{spec.Name} is set twice ('{name}')");
    }
}
