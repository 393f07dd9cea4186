using System.Diagnostics;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>`kit run` as a user runs it: the built CLI in a child process, judged by its exit status.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-run");

    public void Dispose() => _dir.Dispose();

    public static (int Code, string Stdout, string Stderr) Kit(params string[] args) => KitWithin(TimeSpan.FromMinutes(3), args);

    public static (int Code, string Stdout, string Stderr) KitWithin(TimeSpan limit, params string[] args)
    {
        var kitDll = Path.Combine(RepoPaths.KitBuild, "kit.dll");
        Assert.True(File.Exists(kitDll), $"{kitDll} is missing: build src/Kit.Cli first");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(kitDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit)) { p.Kill(true); Assert.Fail($"kit {string.Join(' ', args)} did not finish in {limit.TotalMinutes} minutes"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Kit_run_exits_zero_when_every_cell_ran_and_one_on_the_first_failure()
    {
        var good = NotebookFile.Write(_dir["good.ipynb"], "var who = \"world\";\nint times = 1;", "string.Concat(Enumerable.Repeat(who, times))");
        var (code, _, err) = Kit("run", good, "--set", "who=kit", "--set", "times=2", "--output", _dir["out/good.ipynb"]);
        Assert.True(code == 0, err);
        var nb = NotebookFile.Read(_dir["out/good.ipynb"]);
        Assert.Equal("kitkit", NotebookFile.Text(NotebookFile.Outputs(nb, 2)[0]!["data"]!["text/plain"]));

        var bad = NotebookFile.Write(_dir["bad.ipynb"], "var a = 1;", "a +\n  \"x\" *;");
        (code, _, err) = Kit("run", bad);
        Assert.Equal(1, code);
        Assert.Contains("cell 2, line 2", err);
        Assert.Equal("error", NotebookFile.Outputs(NotebookFile.Read(bad), 2)[0]!["output_type"]!.GetValue<string>());
    }

    [Fact]
    public void Kit_run_runs_a_script_and_prints_its_output()
    {
        File.WriteAllText(_dir["hello.csx"], "Console.WriteLine(\"from script \" + (6 * 7));\n");
        var (code, stdout, err) = Kit("run", _dir["hello.csx"]);
        Assert.True(code == 0, err);
        Assert.Contains("from script 42", stdout);

        var (badCode, _, _) = Kit("run", _dir["missing.ipynb"]);
        Assert.Equal(2, badCode);
    }
}
