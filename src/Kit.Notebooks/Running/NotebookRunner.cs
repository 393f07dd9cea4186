using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kit.Display;
using Kit.Display.Charts;
using Kit.Notebooks.Ipynb;
using Kit.Notebooks.Parameters;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace Kit.Notebooks.Running;

/// <summary>What to run and where the results go.</summary>
public sealed record RunOptions
{
    /// <summary>Where the executed notebook is written; null writes it back in place. Ignored for .csx.</summary>
    public string? OutputPath { get; init; }

    /// <summary>Overrides for the parameters cell (name → value as typed on the command line).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>build/kit, where #r "nuget: Kit.X" resolves; null finds it.</summary>
    public string? KitDirectory { get; init; }

    /// <summary>Progress lines (cell started/finished, live display updates); the CLI passes stderr.</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Also copy cell stdout to the real console (scripts do; notebooks keep it in the file).</summary>
    public bool EchoConsole { get; init; }
}

/// <summary>The outcome: success, or the first failing cell with a message naming cell and line.</summary>
public sealed record RunResult(bool Succeeded, int CellsRun, int? FailedCell, string? Error, string? WrittenTo);

/// <summary>
/// Runs a notebook's C# cells in order in one script state, as the Polyglot kernel would, from the
/// notebook's folder; stops at the first error; writes the notebook back with outputs, execution counts
/// and timings.
/// </summary>
public static class NotebookRunner
{
    public static async Task<RunResult> RunAsync(string path, RunOptions options, CancellationToken ct = default)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist", path);
        var isScript = path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase);
        var notebook = isScript ? Notebook.FromScript(path) : Notebook.Load(path);
        var folder = Path.GetDirectoryName(path)!;
        var kit = new KitReferences(options.KitDirectory ?? KitReferences.FindKitDirectory(folder));
        var progress = options.Progress;
        var name = Path.GetFileName(path);

        var session = new NotebookSession(progress is null ? null : text => WriteProgress(progress, $"{name}: {text}"));
        var stdout = new ConsoleRouter("stdout", options.EchoConsole ? Console.Out : null);
        var stderr = new ConsoleRouter("stderr", options.EchoConsole ? Console.Error : null);
        var (oldOut, oldErr, oldDir) = (Console.Out, Console.Error, Environment.CurrentDirectory);
        PlotlyScript.StartPage();

        var cells = notebook.Cells.OfType<JsonObject>().ToList();
        // Outputs of an earlier run would be mistaken for this run's once a cell fails: start clean.
        foreach (var cell in cells.Where(c => c["cell_type"]?.GetValue<string>() == "code"))
        {
            cell["outputs"] = new JsonArray();
            cell["execution_count"] = null;
        }
        var parametersCell = cells.FindIndex(c => CellKinds.Of(c).Kind == CellKind.CSharp);
        int executionCount = 0, ran = 0;
        RunResult? failure = null;
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            Environment.CurrentDirectory = folder; // the kernel's working directory is the notebook's folder
            for (var i = 0; i < cells.Count && failure is null; i++)
            {
                ct.ThrowIfCancellationRequested();
                var cell = cells[i];
                var number = i + 1;
                var (kind, kernel) = CellKinds.Of(cell);
                if (kind == CellKind.Markdown) continue;
                var outputs = new CellOutputs(new JsonArray());
                cell["outputs"] = outputs.Outputs;
                var source = Notebook.SourceOf(cell);
                if (kind == CellKind.Other)
                {
                    failure = Fail(outputs, path, number, 1, "UnsupportedKernel", $"this cell runs in the '{kernel}' kernel; the headless runner runs C# only");
                    break;
                }
                if (i == parametersCell && options.Parameters.Count > 0)
                {
                    try { source = ParameterOverrides.Apply(source, options.Parameters); }
                    catch (ParameterException e) { failure = Fail(outputs, path, number, 1, "ParameterError", e.Message); break; }
                    Metadata(cell)["kit"] = new JsonObject { ["parameters"] = new JsonObject(options.Parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))) };
                }
                CellDirectives directives;
                try { directives = CellDirectives.Parse(source, folder, kit); }
                catch (DirectiveException e) { failure = Fail(outputs, path, number, e.Line, "DirectiveError", e.Message); break; }
                if (directives.IsMarkdown) continue;

                session.AddReferences(directives.References);
                cell["execution_count"] = ++executionCount;
                if (progress is not null) WriteProgress(progress, $"{name}: cell {number} running");
                var started = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                session.Current = outputs;
                stdout.Target = stderr.Target = outputs;
                var cellFile = isScript ? path : $"{path}#cell{number}";
                try
                {
                    var value = await session.RunAsync(directives.Code, cellFile, ct);
                    if (EndsWithExpression(directives.Code) && value is not null)
                        outputs.AddDisplay(Renderer.Render(value));
                    ran++;
                }
                catch (CompilationErrorException e)
                {
                    var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                    var line = errors.Count > 0 ? errors[0].Location.GetLineSpan().StartLinePosition.Line + 1 : 1;
                    var text = errors.Select(d => $"({d.Location.GetLineSpan().StartLinePosition.Line + 1},{d.Location.GetLineSpan().StartLinePosition.Character + 1}): error {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}");
                    failure = Fail(outputs, path, number, line, "CompilationError", string.Join("\n", text));
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerException! : e;
                    failure = Fail(outputs, path, number, LineOf(inner, cellFile), inner.GetType().Name, inner.Message, inner.ToString().Split('\n').Select(l => l.TrimEnd('\r')));
                }
                finally
                {
                    clock.Stop();
                    stdout.Target = stderr.Target = null;
                    Timing(cell, started, clock.Elapsed);
                    if (progress is not null && failure is null) WriteProgress(progress, $"{name}: cell {number} done in {clock.Elapsed.TotalSeconds:F1} s");
                }
            }
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.CurrentDirectory = oldDir;
        }

        string? written = null;
        if (isScript)
            PrintScriptOutputs(notebook, failure);
        else
        {
            written = options.OutputPath is null ? path : Path.GetFullPath(options.OutputPath);
            notebook.Save(written);
        }
        return failure is null ? new RunResult(true, ran, null, null, written) : failure with { CellsRun = ran, WrittenTo = written };
    }

    private static RunResult Fail(CellOutputs outputs, string path, int cell, int line, string ename, string message, IEnumerable<string>? traceback = null)
    {
        var where = $"{Path.GetFileName(path)}: cell {cell}, line {line}";
        outputs.AddError(ename, message, traceback ?? [$"{where}: {ename}", .. message.Split('\n')]);
        return new RunResult(false, 0, cell, $"{where}: {ename}: {message}", null);
    }

    /// <summary>The line in the cell from the exception's stack trace (debug info is emitted per cell).</summary>
    private static int LineOf(Exception e, string cellFile) =>
        new StackTrace(e, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => string.Equals(f.GetFileName(), cellFile, StringComparison.Ordinal) && f.GetFileLineNumber() > 0)
            ?.GetFileLineNumber() ?? 1;

    /// <summary>A cell whose last statement is an expression without a semicolon shows its value (as the kernel does).</summary>
    private static bool EndsWithExpression(string code)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(kind: SourceCodeKind.Script)).GetRoot() as CompilationUnitSyntax;
        return root?.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };
    }

    private static JsonObject Metadata(JsonObject cell)
    {
        if (cell["metadata"] is not JsonObject meta) cell["metadata"] = meta = new JsonObject();
        return meta;
    }

    /// <summary>Per-cell timing in the keys JupyterLab's execution-time extension reads, plus the duration.</summary>
    private static void Timing(JsonObject cell, DateTimeOffset started, TimeSpan elapsed)
    {
        var meta = Metadata(cell);
        meta["execution"] = new JsonObject
        {
            ["iopub.execute_input"] = started.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["shell.execute_reply"] = (started + elapsed).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["kit.duration_ms"] = Math.Round(elapsed.TotalMilliseconds, 1),
        };
    }

    private static void PrintScriptOutputs(Notebook notebook, RunResult? failure)
    {
        foreach (var output in notebook.Cells.OfType<JsonObject>().SelectMany(c => (c["outputs"] as JsonArray ?? []).OfType<JsonObject>()))
            if (output["output_type"]?.GetValue<string>() == "display_data" && output["data"]?[Rendering.Text] is JsonArray text)
                Console.Out.WriteLine(string.Concat(text.Select(l => l!.GetValue<string>())));
    }

    private static readonly object ProgressGate = new();

    private static void WriteProgress(TextWriter progress, string line)
    {
        lock (ProgressGate) { progress.WriteLine(line); progress.Flush(); }
    }
}
