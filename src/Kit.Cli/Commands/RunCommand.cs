using System.CommandLine;
using Kit.Notebooks.Parameters;
using Kit.Notebooks.Running;

namespace Kit.Cli.Commands;

/// <summary>`kit run NOTEBOOK.ipynb | SCRIPT.csx`: runs a notebook headless, as the Polyglot kernel would.</summary>
public sealed class RunCommand : IKitCommand
{
    public Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A notebook (.ipynb) or C# script (.csx)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the executed notebook here instead of in place." };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a parameter of the notebook's first code cell: --set name=value (repeatable).",
            DefaultValueFactory = _ => [],
        };
        var cmd = new Command("run", "Run a notebook's C# cells in order (or a .csx script) and write the outputs back.") { file, output, set };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"kit run: {path.FullName} does not exist"); return 2; }
            IReadOnlyDictionary<string, string> parameters;
            try { parameters = ParameterOverrides.Parse(pr.GetValue(set) ?? []); }
            catch (ParameterException e) { Console.Error.WriteLine($"kit run: {e.Message}"); return 2; }
            var isScript = path.Extension.Equals(".csx", StringComparison.OrdinalIgnoreCase);
            var result = await NotebookRunner.RunAsync(path.FullName, new RunOptions
            {
                OutputPath = pr.GetValue(output)?.FullName,
                Parameters = parameters,
                Progress = Console.Error,
                EchoConsole = isScript,
            }, ct);
            if (result.WrittenTo is not null) Console.Error.WriteLine($"kit run: wrote {result.WrittenTo}");
            if (result.Succeeded)
            {
                Console.Error.WriteLine($"kit run: {result.CellsRun} cell(s) ran");
                return 0;
            }
            Console.Error.WriteLine($"kit run: {result.Error}");
            return 1;
        });
        return cmd;
    }
}
