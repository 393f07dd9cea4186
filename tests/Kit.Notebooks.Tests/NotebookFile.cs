using System.Text.Json.Nodes;

namespace Kit.Notebooks.Tests;

/// <summary>Writes small .ipynb files the way VS Code does (kernel metadata, cell ids) for the tests.</summary>
internal static class NotebookFile
{
    public static string Write(string path, params string[] cells)
    {
        var array = new JsonArray();
        var n = 0;
        foreach (var source in cells)
        {
            n++;
            var markdown = source.StartsWith("md:", StringComparison.Ordinal);
            var cell = new JsonObject
            {
                ["cell_type"] = markdown ? "markdown" : "code",
                ["id"] = $"cell-{n:000}",
                ["metadata"] = markdown ? new JsonObject() : new JsonObject
                {
                    ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                    ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                    ["vscode"] = new JsonObject { ["languageId"] = "polyglot-notebook" },
                },
                ["source"] = Ipynb.Notebook.Lines(markdown ? source[3..] : source),
            };
            if (!markdown) { cell["execution_count"] = null; cell["outputs"] = new JsonArray(); }
            array.Add(cell);
        }
        var root = new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "C#" },
                ["polyglot_notebook"] = new JsonObject { ["kernelInfo"] = new JsonObject { ["defaultKernelName"] = "csharp" } },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    public static JsonObject Read(string path) => (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;

    public static JsonObject Cell(JsonObject nb, int number) => (JsonObject)((JsonArray)nb["cells"]!)[number - 1]!;

    public static JsonArray Outputs(JsonObject nb, int number) => (JsonArray)Cell(nb, number)["outputs"]!;

    public static string Text(JsonNode? node) => node switch
    {
        JsonArray a => string.Concat(a.Select(l => l!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };
}
