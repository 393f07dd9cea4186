using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kit.Notebooks.Ipynb;

/// <summary>
/// An .ipynb kept as its JSON tree, so metadata, cell ids and anything the kit does not know survive a run
/// unchanged; written back the way VS Code writes it (one-space indent, trailing newline).
/// </summary>
public sealed class Notebook
{
    private Notebook(string path, JsonObject root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }
    public JsonObject Root { get; }
    public JsonArray Cells => Root["cells"] as JsonArray ?? throw new InvalidDataException($"{Path}: no \"cells\" array");

    public static Notebook Load(string path)
    {
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid notebook JSON (line {e.LineNumber + 1}): {e.Message}", e); }
        if (node is not JsonObject root || root["cells"] is not JsonArray)
            throw new InvalidDataException($"{path}: not a Jupyter notebook (no \"cells\" array)");
        return new Notebook(path, root);
    }

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        // JSON.stringify (what VS Code uses) leaves non-ASCII and HTML characters as they are.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Save(string path)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        // Write beside and rename, so a crash mid-write never leaves a truncated notebook.
        var temp = path + ".tmp";
        File.WriteAllText(temp, Root.ToJsonString(WriteOptions) + "\n", new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>A cell's source as one string (nbformat allows a string or an array of lines).</summary>
    public static string SourceOf(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    /// <summary>Multi-line text the way nbformat stores it: an array of lines, each but the last ending in \n.</summary>
    public static JsonArray Lines(string text)
    {
        var result = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl + 1;
            result.Add(text[start..end]);
            start = end;
        }
        return result;
    }
}
