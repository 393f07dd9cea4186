namespace Kit.Display.Formatting;

/// <summary>
/// Tells the Polyglot Notebooks kernel how to show a type, without the kit referencing dotnet-interactive.
/// The kernel's Formatter looks for an attribute whose type NAME is "TypeFormatterSourceAttribute" (any
/// namespace), reads its <see cref="FormatterSourceType"/> and <see cref="PreferredMimeTypes"/> properties
/// by name, instantiates the source and calls its CreateTypeFormatters(). See the README, "Display
/// convention", for the exact members the kernel relies on.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
public sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    /// <summary>A type with a public parameterless constructor and a public CreateTypeFormatters() method.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>The MIME types the kernel emits for the type, in one output; the first is the richest.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
