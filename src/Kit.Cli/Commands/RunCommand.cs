using System.CommandLine;
using Kit.Data;
using Kit.Notebooks.Running;

namespace Kit.Cli.Commands;

/// <summary>`kit run NOTEBOOK`: a thin front for dotnet-repl, the real C# kernel, with the parameters as KIT_PARAM_* variables.</summary>
public sealed class RunCommand : IKitCommand
{
    public Command Create()
    {
        var file = new Argument<FileInfo>("notebook") { Description = "A notebook (.ipynb or .dib)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the executed notebook here instead of in place." };
        var set = new Option<string[]>("--set")
        {
            Description = "Set a parameter of the notebook's first code cell: --set name=value (repeatable; the kernel sees KIT_PARAM_name).",
            DefaultValueFactory = _ => [],
        };
        var cmd = new Command("run", "Run every cell of a notebook with dotnet-repl and write the outputs back (exit 1 if a cell failed).") { file, output, set };
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"kit run: {path.FullName} does not exist"); return 2; }
            RunResult result;
            try
            {
                result = await NotebookRunner.RunAsync(path.FullName, new RunOptions
                {
                    OutputPath = pr.GetValue(output)?.FullName,
                    Set = pr.GetValue(set) ?? [],
                    Log = Console.Error,
                }, ct);
            }
            catch (Exception e) when (e is ParameterException or NotebookRunException or InvalidDataException)
            {
                Console.Error.WriteLine($"kit run: {e.Message}");
                return 2;
            }
            Console.Error.WriteLine($"kit run: wrote {result.WrittenTo}");
            foreach (var f in result.Failures) Console.Error.WriteLine($"kit run: {path.Name}: {f}");
            if (result.Succeeded) return 0;
            if (result.Failures.Count == 0) Console.Error.WriteLine($"kit run: {path.Name}: dotnet-repl exited {result.ReplExitCode}");
            return 1;
        });
        return cmd;
    }
}
