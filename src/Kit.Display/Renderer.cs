using System.Collections;
using System.Reflection;
using Kit.Display.Html;

namespace Kit.Display;

/// <summary>
/// Turns any value into renderings, the way the kit's command line shows it: an
/// <see cref="IRenderable"/> renders itself; a string is text; a sequence of records becomes a table;
/// anything else is its ToString() as text.
/// </summary>
public static class Renderer
{
    public static IReadOnlyList<Rendering> Render(object? value)
    {
        switch (value)
        {
            case null: return [new Rendering(Rendering.Text, "null")];
            case IRenderable r: return r.Render();
            case string s: return [new Rendering(Rendering.Text, s)];
        }
        if (value is IEnumerable items && ElementType(value.GetType()) is { } element && IsRecordLike(element))
        {
            var table = Table.FromItems(items.Cast<object?>(), element);
            return [new Rendering(Rendering.Html, table.ToHtml()), new Rendering(Rendering.Text, table.ToString())];
        }
        return [new Rendering(Rendering.Text, value.ToString() ?? "")];
    }

    /// <summary>The text/plain rendering (every renderable has one).</summary>
    public static string Text(object? value) =>
        Render(value).FirstOrDefault(r => r.MimeType == Rendering.Text)?.Content ?? value?.ToString() ?? "null";

    private static Type? ElementType(Type t) =>
        t.IsArray ? t.GetElementType() :
        t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static bool IsRecordLike(Type t) =>
        !t.IsPrimitive && t != typeof(string) && t != typeof(decimal) && !t.IsEnum &&
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetIndexParameters().Length == 0);
}
