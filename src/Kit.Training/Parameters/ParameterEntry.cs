namespace Kit.Training.Parameters;

/// <summary>One row of the result: a value, why it is what it is, and whether the user set it.</summary>
/// <param name="Calculated">What the profile's rule gave (equal to <paramref name="Value"/> unless overridden).</param>
public sealed record ParameterEntry(string Name, object Value, string Reason, bool Overridden, object Calculated)
{
    public string Display => ParameterCatalog.Format(Value);
}

/// <summary>
/// Something the user should know before training. <paramref name="Rule"/> is a stable short code
/// (e.g. <c>small-train</c>); <paramref name="Parameter"/> names the value it concerns, if one;
/// <paramref name="FromOverride"/> is true when a value the user set breaks the rule.
/// </summary>
public sealed record ParameterWarning(string Rule, string Message, string? Parameter = null, bool FromOverride = false)
{
    public override string ToString() => $"[{Rule}] {Message}";
}
