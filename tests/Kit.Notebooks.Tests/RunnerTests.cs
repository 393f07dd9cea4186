using System.Text.Json.Nodes;
using Kit.Notebooks.Running;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

public sealed class RunnerTests : IDisposable
{
    private readonly TempDir _dir = new("kit-nb");

    public void Dispose() => _dir.Dispose();

    private Task<RunResult> Run(string path, Dictionary<string, string>? parameters = null, string? output = null) =>
        NotebookRunner.RunAsync(path, new RunOptions { KitDirectory = RepoPaths.KitBuild, Parameters = parameters ?? new(), OutputPath = output });

    [Fact]
    public async Task Cells_share_state_markdown_is_skipped_and_outputs_are_written_back()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"],
            "var total = 40;\nConsole.WriteLine(\"hello\");",
            "md:# A heading\nsome text",
            "total += 2;\nConsole.WriteLine($\"total {total}\");\ntotal",
            "System.IO.File.ReadAllText(\"data.txt\").Trim()");
        File.WriteAllText(_dir["data.txt"], "read from the notebook's folder\n");

        var result = await Run(path);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, result.CellsRun);
        var nb = NotebookFile.Read(path);
        Assert.Equal(1, NotebookFile.Cell(nb, 1)["execution_count"]!.GetValue<int>());
        Assert.Null(NotebookFile.Cell(nb, 2)["outputs"]);
        Assert.Equal(2, NotebookFile.Cell(nb, 3)["execution_count"]!.GetValue<int>());
        var cell3 = NotebookFile.Outputs(nb, 3);
        Assert.Equal("stream", cell3[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("total 42\n", NotebookFile.Text(cell3[0]!["text"]));
        Assert.Equal("42", NotebookFile.Text(cell3[1]!["data"]!["text/plain"]));
        Assert.Equal("read from the notebook's folder", NotebookFile.Text(NotebookFile.Outputs(nb, 4)[0]!["data"]!["text/plain"]));
        Assert.Equal("hello\n", NotebookFile.Text(NotebookFile.Outputs(nb, 1)[0]!["text"]));
        // Ids, kernel metadata and timings.
        Assert.Equal("cell-003", NotebookFile.Cell(nb, 3)["id"]!.GetValue<string>());
        Assert.Equal("csharp", NotebookFile.Cell(nb, 3)["metadata"]!["polyglot_notebook"]!["kernelName"]!.GetValue<string>());
        Assert.True(NotebookFile.Cell(nb, 3)["metadata"]!["execution"]!["kit.duration_ms"]!.GetValue<double>() >= 0);
        Assert.Equal(".net-csharp", nb["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        var text = File.ReadAllText(path);
        Assert.StartsWith("{\n \"cells\": [\n  {", text);
        Assert.EndsWith("}\n", text);
    }

    [Fact]
    public async Task A_compile_error_names_cell_and_line_stops_and_is_written_as_an_error_output()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "var a = 1;", "md:text", "var b = 2;\nvar c = a + b;\nvar d = missingName + 1;", "Console.WriteLine(\"never\");");

        var result = await Run(path, output: _dir["out.ipynb"]);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCell);
        Assert.Contains("cell 3, line 3", result.Error);
        Assert.Contains("CS0103", result.Error);
        Assert.Contains("missingName", result.Error);
        var nb = NotebookFile.Read(_dir["out.ipynb"]);
        var error = NotebookFile.Outputs(nb, 3).Single()!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Contains("CS0103", error["evalue"]!.GetValue<string>());
        Assert.NotEmpty((JsonArray)error["traceback"]!);
        Assert.Null(NotebookFile.Cell(nb, 4)["execution_count"]);
        Assert.Empty(NotebookFile.Outputs(nb, 4));
        // The input notebook itself is untouched when --output is given.
        Assert.Null(NotebookFile.Cell(NotebookFile.Read(path), 1)["execution_count"]);
    }

    [Fact]
    public async Task Outputs_of_an_earlier_run_are_cleared_so_a_failure_leaves_no_stale_results()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "var ok = true;", "Console.WriteLine(\"first run\");", "\"cell three\"");
        Assert.True((await Run(path)).Succeeded);
        Assert.Single(NotebookFile.Outputs(NotebookFile.Read(path), 3));

        var json = NotebookFile.Read(path);
        NotebookFile.Cell(json, 2)["source"] = "throw new Exception(\"second run fails\");";
        File.WriteAllText(path, json.ToJsonString());
        var result = await Run(path);

        Assert.Equal(2, result.FailedCell);
        var nb = NotebookFile.Read(path);
        Assert.Empty(NotebookFile.Outputs(nb, 3));
        Assert.Null(NotebookFile.Cell(nb, 3)["execution_count"]);
    }

    [Fact]
    public async Task A_runtime_error_names_cell_and_line_of_the_throw()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"],
            "int Half(int x) => x / 2;",
            "Console.WriteLine(\"before\");\nvar items = new List<int>();\nvar first = items.First();\nConsole.WriteLine(\"after\");");

        var result = await Run(path);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Contains("cell 2, line 3", result.Error);
        Assert.Contains("InvalidOperationException", result.Error);
        var outputs = NotebookFile.Outputs(NotebookFile.Read(path), 2);
        Assert.Equal("before\n", NotebookFile.Text(outputs[0]!["text"]));
        Assert.Equal("InvalidOperationException", outputs[1]!["ename"]!.GetValue<string>());
        Assert.Contains("Sequence contains no elements", outputs[1]!["evalue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Set_overrides_string_int_bool_and_double_parameters_of_the_first_code_cell()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"],
            "md:# Parameters",
            "var datasetPath = \"data/sample\";\nint steps = 40;\nbool dryRun = true;\nvar rate = 0.5;\nvar untouched = \"same\";",
            "$\"{datasetPath}|{steps + 1}|{dryRun}|{rate * 2}|{untouched}\"");

        var result = await Run(path, new() { ["datasetPath"] = "C:\\odd \"quoted\" path", ["steps"] = "7", ["dryRun"] = "false", ["rate"] = "1.25" });

        Assert.True(result.Succeeded, result.Error);
        var nb = NotebookFile.Read(path);
        Assert.Equal("C:\\odd \"quoted\" path|8|False|2.5|same", NotebookFile.Text(NotebookFile.Outputs(nb, 3)[0]!["data"]!["text/plain"]));
        // The source stays as written; the values used are recorded in the cell's metadata.
        Assert.Contains("int steps = 40;", NotebookFile.Text(NotebookFile.Cell(nb, 2)["source"]));
        Assert.Equal("7", NotebookFile.Cell(nb, 2)["metadata"]!["kit"]!["parameters"]!["steps"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("nosuch", "1", "declares no variable 'nosuch'")]
    [InlineData("steps", "many", "not a valid int")]
    public async Task A_bad_override_fails_on_the_parameters_cell(string name, string value, string message)
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "int steps = 40;", "steps");
        var result = await Run(path, new() { [name] = value });
        Assert.False(result.Succeeded);
        Assert.Equal(1, result.FailedCell);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public async Task R_resolves_a_dll_relative_to_the_notebook_folder()
    {
        Directory.CreateDirectory(_dir["lib"]);
        TestAssemblies.Compile(_dir["lib/Greeter.dll"], "Greeter", "namespace Greeting { public static class Greeter { public static string Hello(string n) => \"hello \" + n; } }");
        var path = NotebookFile.Write(_dir["nb.ipynb"], "#r \"lib/Greeter.dll\"\nusing Greeting;", "Greeter.Hello(\"kit\")");

        var result = await Run(path);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("hello kit", NotebookFile.Text(NotebookFile.Outputs(NotebookFile.Read(path), 2)[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task R_nuget_resolves_the_kits_own_packages_from_the_build_and_rejects_others()
    {
        Assert.True(File.Exists(Path.Combine(RepoPaths.KitBuild, "Kit.Display.dll")), $"{RepoPaths.KitBuild} has no Kit.Display.dll: build src/Kit.Cli first");
        var ok = NotebookFile.Write(_dir["ok.ipynb"], "#r \"nuget: Kit.Display, 1.0.0\"\nusing Kit.Display.Html;", "new Table(new[] { \"a\" }, new[] { new object[] { 1 } }).Rows.Count");
        var result = await Run(ok);
        Assert.True(result.Succeeded, result.Error);

        var other = NotebookFile.Write(_dir["other.ipynb"], "var x = 1;", "// comment\n#r \"nuget: Newtonsoft.Json, 13.0.3\"");
        result = await Run(other);
        Assert.False(result.Succeeded);
        Assert.Contains("cell 2, line 2", result.Error);
        Assert.Contains("only the kit's own packages", result.Error);

        var missing = NotebookFile.Write(_dir["missing.ipynb"], "#r \"nope/Missing.dll\"");
        result = await Run(missing);
        Assert.Contains("cell 1, line 1", result.Error);
        Assert.Contains("does not exist", result.Error);
    }

    [Theory]
    [InlineData("#!fsharp\nlet x = 1", "'#!fsharp'")]
    [InlineData("#!pwsh\nGet-Date", "'#!pwsh'")]
    [InlineData("var a = 1;\n#!import other.ipynb", "'#!import'")]
    [InlineData("#i \"nuget: https://example.org/feed\"", "#i")]
    public async Task Other_kernels_and_unsupported_magics_are_rejected_with_cell_and_line(string source, string named)
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "var ok = 1;", source);
        var result = await Run(path);
        Assert.False(result.Succeeded);
        Assert.Contains(named, result.Error);
        var line = source.Split('\n').ToList().FindIndex(l => l.StartsWith("#", StringComparison.Ordinal)) + 1;
        Assert.Contains($"cell 2, line {line}", result.Error);
    }

    [Fact]
    public async Task Csharp_and_markdown_magics_are_honoured()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "#!csharp\nvar n = 5;", "#!markdown\n# not code at all {", "n * 2");
        var result = await Run(path);
        Assert.True(result.Succeeded, result.Error);
        var nb = NotebookFile.Read(path);
        Assert.Null(NotebookFile.Cell(nb, 2)["execution_count"]?.GetValue<int?>());
        Assert.Equal("10", NotebookFile.Text(NotebookFile.Outputs(nb, 3)[0]!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_cell_of_another_kernel_by_metadata_is_rejected()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"], "var a = 1;", "let b = 2");
        var json = NotebookFile.Read(path);
        NotebookFile.Cell(json, 2)["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp";
        File.WriteAllText(path, json.ToJsonString());
        var result = await Run(path);
        Assert.False(result.Succeeded);
        Assert.Contains("cell 2", result.Error);
        Assert.Contains("'fsharp'", result.Error);
    }

    [Fact]
    public async Task A_csx_script_runs_with_the_same_globals()
    {
        File.WriteAllText(_dir["s.csx"], "var xs = new[] { 1, 2, 3 };\ndisplay(HTML(\"<b>bold</b>\"));\nConsole.WriteLine(xs.Sum());\n");
        var result = await Run(_dir["s.csx"]);
        Assert.True(result.Succeeded, result.Error);
        Assert.Null(result.WrittenTo);

        File.WriteAllText(_dir["bad.csx"], "var a = 1;\nthrow new System.IO.InvalidDataException(\"broken input\");\n");
        result = await Run(_dir["bad.csx"]);
        Assert.False(result.Succeeded);
        Assert.Contains("line 2", result.Error);
        Assert.Contains("broken input", result.Error);
    }
}
