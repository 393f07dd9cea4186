using System.Text.Json.Nodes;

namespace Kit.Notebooks.Ipynb;

public enum CellKind { Markdown, CSharp, Other }

public static class CellKinds
{
    /// <summary>
    /// The kernel a cell runs in: polyglot_notebook.kernelName wins over dotnet_interactive.language (as
    /// the extension reads them); a code cell without either is C#, the notebook's default kernel.
    /// </summary>
    public static (CellKind Kind, string Name) Of(JsonObject cell)
    {
        if (cell["cell_type"]?.GetValue<string>() != "code") return (CellKind.Markdown, "markdown");
        var meta = cell["metadata"] as JsonObject;
        var name = meta?["polyglot_notebook"]?["kernelName"]?.GetValue<string>()
                   ?? meta?["dotnet_interactive"]?["language"]?.GetValue<string>()
                   ?? "csharp";
        return name switch
        {
            "csharp" or "C#" or "c#" => (CellKind.CSharp, "csharp"),
            "markdown" => (CellKind.Markdown, name),
            _ => (CellKind.Other, name),
        };
    }
}
