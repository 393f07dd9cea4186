using System.Net;
using System.Text;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Training.Parameters;

/// <summary>The result as a table (name, value, reason, set by you?) with the warnings beneath.</summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed partial class ParameterSet : IRenderable
{
    /// <summary>One line describing the split and epoch the values were calculated for.</summary>
    public string Summary
    {
        get
        {
            var val = ValidationSource switch
            {
                ValidationSource.Carved => $"{ValClips.Count:N0} validation clips carved from training (seed {Carve!.Seed})",
                ValidationSource.SameAsTrain => "validation on the training clips",
                _ => $"{ValClips.Count:N0} validation clips",
            };
            var lost = ClipsLeftOutPerEpoch > 0 ? $", {ClipsLeftOutPerEpoch:N0} left out of each epoch" : ", no clip left out";
            return $"profile {Profile}: {TrainClips.Count:N0} training clips, {val}; {KitProfile.Plural(StepsPerEpoch, "step", "steps")} per epoch{lost}";
        }
    }

    public IReadOnlyList<Rendering> Render() => [new(Rendering.Html, ToHtml()), new(Rendering.Text, ToText())];

    public override string ToString() => ToText();

    public string ToText()
    {
        var sb = new StringBuilder().AppendLine(Summary).AppendLine();
        int nameWidth = Math.Max(4, Entries.Max(e => e.Name.Length)), valueWidth = Math.Max(5, Entries.Max(e => Shown(e).Length));
        sb.AppendLine($"{"name".PadRight(nameWidth)}  {"value".PadRight(valueWidth)}  reason");
        foreach (var e in Entries)
            sb.AppendLine($"{e.Name.PadRight(nameWidth)}  {Shown(e).PadRight(valueWidth)}  {e.Reason}");
        sb.AppendLine().AppendLine($"the recipe {Recipe.Recipe} also trains with (not run config parameters):");
        foreach (var (name, value, reason) in RecipeSettings)
            sb.AppendLine($"{name.PadRight(nameWidth)}  {value.PadRight(valueWidth)}  {reason}");
        if (Warnings.Count > 0)
        {
            sb.AppendLine().AppendLine($"{Warnings.Count} warning{(Warnings.Count == 1 ? "" : "s")}:");
            foreach (var w in Warnings) sb.AppendLine($"  ! {w}");
        }
        return sb.ToString();
    }

    public string ToHtml()
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var sb = new StringBuilder();
        sb.Append("<div class=\"kit-parameters\">");
        sb.Append($"<p>{H(Summary)}</p>");
        sb.Append("<table><thead><tr><th>name</th><th>value</th><th>reason</th><th>set by you</th></tr></thead><tbody>");
        foreach (var e in Entries)
            sb.Append($"<tr><td><code>{H(e.Name)}</code></td><td><code>{H(e.Display)}</code></td><td>{H(e.Reason)}</td><td>{(e.Overridden ? "yes" : "")}</td></tr>");
        sb.Append($"<tr><th colspan=\"4\">the recipe {H(Recipe.Recipe)} also trains with (not run config parameters)</th></tr>");
        foreach (var (name, value, reason) in RecipeSettings)
            sb.Append($"<tr><td><code>{H(name)}</code></td><td><code>{H(value)}</code></td><td>{H(reason)}</td><td></td></tr>");
        sb.Append("</tbody></table>");
        if (Warnings.Count > 0)
        {
            sb.Append("<ul class=\"kit-warnings\">");
            foreach (var w in Warnings) sb.Append($"<li>⚠ <code>{H(w.Rule)}</code> {H(w.Message)}</li>");
            sb.Append("</ul>");
        }
        return sb.Append("</div>").ToString();
    }

    private static string Shown(ParameterEntry e) => e.Overridden ? e.Display + " *" : e.Display;
}
