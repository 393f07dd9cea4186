using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>`kit run` as a user runs it: the built CLI in a child process, judged by its exit status.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-run");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Kit_run_refuses_a_missing_notebook_and_a_bad_set_with_exit_2_before_starting_the_kernel()
    {
        var (code, _, err) = KitCli.Run("run", _dir["missing.ipynb"]);
        Assert.Equal(2, code);
        Assert.Contains("missing.ipynb does not exist", err);

        var nb = NotebookFile.Write(_dir["nb.ipynb"], ReplRunnerTests.ParametersHeader + "var steps = Parameter(\"steps\", 40);", "steps");
        (code, _, err) = KitCli.Run("run", nb, "--set", "stpes=3");
        Assert.Equal(2, code);
        Assert.Contains("kit run: --set stpes: the parameters cell (the first code cell) declares no parameter 'stpes' (it declares: steps)", err);
        Assert.Empty(NotebookFile.Outputs(NotebookFile.Read(nb), 2));
    }
}
