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
        if (RenderByName(value) is { } byName) return byName;
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

    /// <summary>
    /// A Kit.Display.IRenderable from another load of Kit.Display (a plug-in that loaded its own copy) is
    /// not this IRenderable; call it by name so it still shows.
    /// </summary>
    private static IReadOnlyList<Rendering>? RenderByName(object value)
    {
        var iface = value.GetType().GetInterfaces().FirstOrDefault(i => i.FullName == typeof(IRenderable).FullName);
        if (iface?.GetMethod(nameof(IRenderable.Render))?.Invoke(value, null) is not IEnumerable list) return null;
        var result = new List<Rendering>();
        foreach (var item in list)
        {
            var t = item.GetType();
            if (t.GetProperty(nameof(Rendering.MimeType))?.GetValue(item) is string mime &&
                t.GetProperty(nameof(Rendering.Content))?.GetValue(item) is string content)
                result.Add(new Rendering(mime, content));
        }
        return result;
    }

    private static Type? ElementType(Type t) =>
        t.IsArray ? t.GetElementType() :
        t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static bool IsRecordLike(Type t) =>
        !t.IsPrimitive && t != typeof(string) && t != typeof(decimal) && !t.IsEnum &&
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetIndexParameters().Length == 0);
}
