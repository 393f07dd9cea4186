using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Kit.Display.Formatting;

namespace Kit.Display.Html;

/// <summary>A table with a header row: an HTML table in a notebook, aligned columns on a terminal.</summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class Table : IRenderable
{
    public Table(IEnumerable<string> columns, IEnumerable<IEnumerable<object?>> rows, string? title = null)
    {
        Columns = columns.ToArray();
        Rows = rows.Select(r => r.Select(Cell).ToArray()).ToArray();
        Title = title;
    }

    public string? Title { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>One row per item, one column per public property (records, anonymous types, DTOs).</summary>
    public static Table FromItems<T>(IEnumerable<T> items, string? title = null) => FromItems(items.Cast<object?>(), typeof(T), title);

    internal static Table FromItems(IEnumerable<object?> items, Type itemType, string? title = null)
    {
        var props = itemType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0).ToArray();
        return new Table(props.Select(p => p.Name), items.Select(i => props.Select(p => i is null ? null : p.GetValue(i))), title);
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public IReadOnlyList<Rendering> Render() => [new Rendering(Rendering.Html, ToHtml()), new Rendering(Rendering.Text, ToString())];

    public string ToHtml()
    {
        var sb = new StringBuilder("<table class=\"kit-table\">");
        if (Title is not null) sb.Append("<caption>").Append(WebUtility.HtmlEncode(Title)).Append("</caption>");
        sb.Append("<thead><tr>");
        foreach (var c in Columns) sb.Append("<th>").Append(WebUtility.HtmlEncode(c)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var row in Rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row) sb.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</tbody></table>").ToString();
    }

    public override string ToString()
    {
        var widths = Columns.Select((c, i) => Rows.Select(r => i < r.Length ? r[i].Length : 0).Prepend(c.Length).Max()).ToArray();
        var sb = new StringBuilder();
        if (Title is not null) sb.AppendLine(Title);
        void Line(IReadOnlyList<string> cells) =>
            sb.AppendLine(string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd());
        Line(Columns);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in Rows) Line(row);
        return sb.ToString().TrimEnd('\n', '\r');
    }
}
