namespace Kit.Training.Parameters;

/// <summary>
/// Collects a profile's values in dependency order: each rule's result is replaced by the user's value when
/// one was set, so later rules build on what will really be used (a TrainBS override moves the steps per
/// epoch and everything derived from it, unless those are set too).
/// </summary>
internal sealed class ParameterBuilder(ParameterOverrides overrides)
{
    private readonly Dictionary<string, ParameterEntry> _entries = new(StringComparer.Ordinal);

    public T Take<T>(string name, T calculated, string reason) where T : notnull
    {
        var spec = ParameterCatalog.Find(name);
        if (overrides.Values.TryGetValue(spec.Name, out var set))
        {
            var value = (T)set;
            _entries[spec.Name] = new ParameterEntry(spec.Name, value,
                $"set by you; the rule gives {ParameterCatalog.Format(calculated)}: {reason}", true, calculated);
            return value;
        }
        _entries[spec.Name] = new ParameterEntry(spec.Name, calculated, reason, false, calculated);
        return calculated;
    }

    public int[] TakeSteps(string name, int[] calculated, string reason) =>
        Take<IReadOnlyList<int>>(name, calculated, reason).ToArray();

    /// <summary>Entries in the catalog's order (the table's order).</summary>
    public IReadOnlyList<ParameterEntry> Entries =>
        ParameterCatalog.All.Where(s => _entries.ContainsKey(s.Name)).Select(s => _entries[s.Name]).ToArray();
}
