using System.Text.Json.Nodes;
using Kit.Display;
using Kit.Notebooks.Ipynb;

namespace Kit.Notebooks.Running;

/// <summary>
/// The outputs of one cell, in the order they happened: displays, stdout/stderr text (consecutive writes
/// join one stream output, as Jupyter does), the error. Thread-safe: a background task may still update a
/// display or print while the cell runs.
/// </summary>
public sealed class CellOutputs(JsonArray outputs)
{
    private readonly object _gate = new();

    public JsonArray Outputs { get; } = outputs;

    public JsonObject AddDisplay(IReadOnlyList<Rendering> renderings)
    {
        var output = new JsonObject { ["data"] = Data(renderings), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" };
        lock (_gate) Outputs.Add(output);
        return output;
    }

    /// <summary>An in-place update: the display keeps its one output (dotnet-repl would append another).</summary>
    public void Replace(JsonObject output, IReadOnlyList<Rendering> renderings)
    {
        lock (_gate) output["data"] = Data(renderings);
    }

    public void Write(string stream, string text)
    {
        if (text.Length == 0) return;
        lock (_gate)
        {
            if (Outputs.Count > 0 && Outputs[^1] is JsonObject last && last["output_type"]?.GetValue<string>() == "stream" &&
                last["name"]?.GetValue<string>() == stream)
            {
                last["text"] = Notebook.Lines(string.Concat(((JsonArray)last["text"]!).Select(l => l!.GetValue<string>())) + text);
                return;
            }
            Outputs.Add(new JsonObject { ["name"] = stream, ["output_type"] = "stream", ["text"] = Notebook.Lines(text) });
        }
    }

    public void AddError(string ename, string evalue, IEnumerable<string> traceback)
    {
        lock (_gate)
            Outputs.Add(new JsonObject
            {
                ["ename"] = ename,
                ["evalue"] = evalue,
                ["output_type"] = "error",
                ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)t).ToArray()),
            });
    }

    /// <summary>Text-like MIME types as line arrays (as VS Code saves them); PNG as one base64 string.</summary>
    private static JsonObject Data(IReadOnlyList<Rendering> renderings)
    {
        var data = new JsonObject();
        foreach (var r in renderings.OrderBy(r => r.MimeType, StringComparer.Ordinal))
        {
            if (data.ContainsKey(r.MimeType)) continue;
            data[r.MimeType] = r.MimeType == Rendering.Png ? r.Content : Notebook.Lines(r.Content);
        }
        return data;
    }
}
