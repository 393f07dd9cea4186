using Kit.Data;
using Kit.Notebooks.Parameters;
using Kit.Notebooks.Running;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>Notebooks run on dotnet-repl, the real C# kernel; parameters reach it as KIT_PARAM_* variables.</summary>
public sealed class ReplRunnerTests : IDisposable
{
    private readonly TempDir _dir = new("kit-nb");

    public void Dispose() => _dir.Dispose();

    /// <summary>A #r line for a build/kit assembly, absolute so the test notebook can live anywhere.</summary>
    public static string Ref(string assembly) => $"#r \"{Path.Combine(RepoPaths.KitBuild, assembly + ".dll")}\"";

    public static string ParametersHeader =>
        Ref("Kit.Notebooks") + "\nusing static Kit.Notebooks.Parameters.NotebookParameters;\n";

    [Fact]
    public async Task Cells_share_state_run_from_the_notebooks_folder_and_take_parameters_from_set()
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"],
            ParametersHeader + "var who = Parameter(\"who\", \"world\");\nint times = Parameter(\"times\", 1);\nvar rate = Parameter(\"rate\", 0.5);\nvar names = Parameter(\"names\", new[] { \"a\" });",
            "md:# A heading",
            "$\"{string.Concat(Enumerable.Repeat(who, times))}|{rate * 2}|{string.Join(\",\", names)}\"",
            "System.IO.File.ReadAllText(\"data.txt\").Trim()");
        File.WriteAllText(_dir["data.txt"], "read from the notebook's folder\n");

        var result = await NotebookRunner.RunAsync(path, new RunOptions
        {
            OutputPath = _dir["out/nb.ipynb"],
            Set = ["who=kit", "times=2", "rate=1.25", "names=x|y"],
        });

        Assert.True(result.Succeeded, string.Join("\n", result.Failures));
        var nb = NotebookFile.Read(result.WrittenTo);
        Assert.Equal("kitkit|2.5|x,y", NotebookFile.Text(NotebookFile.Outputs(nb, 3)[0]!["data"]!["text/plain"]));
        Assert.Equal("read from the notebook's folder", NotebookFile.Text(NotebookFile.Outputs(nb, 4)[0]!["data"]!["text/plain"]));
        // The input notebook is untouched when an output path is given.
        Assert.Empty(NotebookFile.Outputs(NotebookFile.Read(path), 3));
    }

    [Theory]
    [InlineData("nosuch=1", "declares no parameter 'nosuch' (it declares: steps, rate, name)")]
    [InlineData("steps=many", "steps=many: not a valid int")]
    [InlineData("rate=fast", "rate=fast: not a valid double")]
    [InlineData("steps", "expected name=value")]
    public async Task A_bad_set_is_refused_before_the_kernel_starts(string assignment, string message)
    {
        var path = NotebookFile.Write(_dir["nb.ipynb"],
            ParametersHeader + "var steps = Parameter(\"steps\", 40);\nvar rate = Parameter(\"rate\", 1e-3);\nvar name = Parameter(\"name\", \"a; b\");", "steps");
        var e = await Assert.ThrowsAsync<ParameterException>(() => NotebookRunner.RunAsync(path, new RunOptions { Set = [assignment] }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Parameter_reads_the_environment_and_names_a_bad_value()
    {
        var name = "kitTest" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(40, NotebookParameters.Parameter(name, 40));
        Environment.SetEnvironmentVariable(NotebookParameters.VariableFor(name), "7");
        try
        {
            Assert.Equal(7, NotebookParameters.Parameter(name, 40));
            Assert.Equal(7L, NotebookParameters.Parameter(name, 0L));
            Environment.SetEnvironmentVariable(NotebookParameters.VariableFor(name), "seven");
            var e = Assert.Throws<ParameterException>(() => NotebookParameters.Parameter(name, 40));
            Assert.Equal($"{name}=seven: not a valid int", e.Message);
        }
        finally { Environment.SetEnvironmentVariable(NotebookParameters.VariableFor(name), null); }
    }
}
