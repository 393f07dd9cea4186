using System.Diagnostics;
using System.Text.Json.Nodes;
using Kit.Notebooks.Ipynb;
using Kit.Notebooks.Parameters;

namespace Kit.Notebooks.Running;

/// <summary>What to run and where the executed copy goes.</summary>
public sealed record RunOptions
{
    /// <summary>Where the executed notebook is written; null writes it back in place.</summary>
    public string? OutputPath { get; init; }

    /// <summary>name=value assignments for the notebook's parameters cell (see <see cref="NotebookParameters"/>).</summary>
    public IReadOnlyList<string> Set { get; init; } = [];

    /// <summary>Where dotnet-repl's own console output goes (the CLI passes stderr); null discards it.</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>A cell that ended with an error: its 1-based number among all cells, its first line and the error's first line.</summary>
public sealed record CellFailure(int Cell, string FirstLine, string Message)
{
    public override string ToString() => $"cell {Cell} ({FirstLine}): {Message}";
}

/// <summary>The outcome: the executed copy and every failing cell (dotnet-repl runs all cells even after a failure).</summary>
public sealed record RunResult(string WrittenTo, IReadOnlyList<CellFailure> Failures, int ReplExitCode)
{
    public bool Succeeded => Failures.Count == 0 && ReplExitCode == 0;
}

/// <summary>
/// Runs a notebook headless on the real C# kernel: dotnet-repl (the version in .config/dotnet-tools.json),
/// from the notebook's folder as VS Code runs it, with the parameters as KIT_PARAM_* environment variables.
/// The kit has no engine of its own: what passes here passes in VS Code.
/// </summary>
public static class NotebookRunner
{
    public const string Tool = "dotnet-repl";

    public static async Task<RunResult> RunAsync(string path, RunOptions options, CancellationToken ct = default)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        if (!path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".dib", StringComparison.OrdinalIgnoreCase))
            throw new NotebookRunException($"{path}: not a notebook (.ipynb or .dib)");
        var environment = path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)
            ? ParametersCell.Of(Notebook.Load(path)).Environment(options.Set)
            : new Dictionary<string, string>();
        var folder = Path.GetDirectoryName(path)!;
        var output = Path.GetFullPath(options.OutputPath ?? path);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        // dotnet-repl writes the executed notebook only at the end: a stale copy must not pass for this run's.
        var written = output + ".running";
        File.Delete(written);

        // The kernel resolves #r paths from the current directory (not from --working-dir): start it in the
        // notebook's folder, as VS Code does.
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in ReplCommand(folder).Concat(["--run", path, "--exit-after-run", "--output-path", written, "--working-dir", folder]))
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        // The kernel's console is not a terminal: keep dotnet-repl from drawing an interactive prompt.
        psi.Environment["TERM"] = "dumb";
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(psi) ?? throw new NotebookRunException("could not start `dotnet tool run dotnet-repl`");
        process.StandardInput.Close();
        var log = options.Log ?? TextWriter.Null;
        var pumps = new[] { Pump(process.StandardOutput, log), Pump(process.StandardError, log) };
        try { await process.WaitForExitAsync(ct); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await Task.WhenAll(pumps);

        if (!File.Exists(written))
            throw new NotebookRunException(process.ExitCode == 0
                ? $"dotnet-repl wrote no notebook ({written})"
                : $"dotnet-repl exited {process.ExitCode} without writing the notebook: is it installed? Run `dotnet tool restore` in the repository (setup.sh does)");
        File.Move(written, output, overwrite: true);
        return new RunResult(output, Failures(Notebook.Load(output)), process.ExitCode);
    }

    /// <summary>Every cell with an error output, named by its number, first line and the error's message.</summary>
    public static IReadOnlyList<CellFailure> Failures(Notebook notebook)
    {
        var failures = new List<CellFailure>();
        var number = 0;
        foreach (var cell in notebook.Cells.OfType<JsonObject>())
        {
            number++;
            foreach (var output in (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (output["output_type"]?.GetValue<string>() != "error") continue;
                var first = Notebook.SourceOf(cell).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
                if (first.Length > 60) first = first[..57] + "...";
                // The kernel writes ename "Error" and the exception (type, message, stack) as evalue: keep its first line.
                var ename = output["ename"]?.GetValue<string>() ?? "Error";
                var message = (output["evalue"]?.GetValue<string>() ?? "").Trim().Split('\n')[0].TrimEnd('\r');
                failures.Add(new CellFailure(number, first, ename is "Error" or "" ? message : $"{ename}: {message}"));
            }
        }
        return failures;
    }

    /// <summary>
    /// How to start the repository's dotnet-repl: `dotnet tool run` where the notebook's folder is inside the
    /// repository (the tool manifest is found above it); else, for a notebook elsewhere, the restored tool
    /// itself, at the version the manifest above the kit's build folder names.
    /// </summary>
    private static string[] ReplCommand(string notebookFolder)
    {
        if (ManifestAbove(notebookFolder) is not null) return ["tool", "run", Tool, "--"];
        var manifest = ManifestAbove(Path.GetDirectoryName(typeof(NotebookRunner).Assembly.Location) ?? "")
                       ?? throw new NotebookRunException($"no .config/dotnet-tools.json above {notebookFolder} or the kit's build folder: run the notebook from a clone of the kit");
        var version = (JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[Tool]?["version"]?.GetValue<string>())
                      ?? throw new NotebookRunException($"{manifest} names no {Tool}");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, Tool, version, "tools");
        var dll = Directory.Exists(tools) ? Directory.GetFiles(tools, Tool + ".dll", SearchOption.AllDirectories).FirstOrDefault() : null;
        return dll is null
            ? throw new NotebookRunException($"{Tool} {version} is not restored: run `dotnet tool restore` in the repository (setup.sh does)")
            : [dll];
    }

    private static string? ManifestAbove(string start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[] { Path.Combine(dir.FullName, ".config", "dotnet-tools.json"), Path.Combine(dir.FullName, "dotnet-tools.json") })
                if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static async Task Pump(StreamReader reader, TextWriter log)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
            lock (log) { log.Write(buffer, 0, n); log.Flush(); }
    }
}

/// <summary>The notebook could not be run at all (not a notebook, dotnet-repl missing); the message says why.</summary>
public sealed class NotebookRunException(string message) : Exception(message);
