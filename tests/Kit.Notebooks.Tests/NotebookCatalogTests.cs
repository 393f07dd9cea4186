using System.Text.RegularExpressions;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Every notebook in notebooks/ (sub-folders too) runs on dotnet-repl, as `kit run` runs it, in order, with
/// its parameters' defaults, which point at the built-in sample dataset in build/main-job/dataset (made here
/// as the main job makes it, when missing). The executed copies land in build/notebooks/ (a CI artifact).
/// </summary>
[TestCaseOrderer(ByNameOrderer.TypeName, ByNameOrderer.AssemblyName)]
public sealed class NotebookCatalogTests : IClassFixture<NotebookCatalogTests.SampleDataset>, IDisposable
{
    /// <summary>The notebooks' default dataset: `kit sample-dataset build/main-job/dataset --clips 24`.</summary>
    public sealed class SampleDataset
    {
        public SampleDataset()
        {
            var dir = Path.Combine(RepoPaths.Root, "build", "main-job", "dataset");
            if (File.Exists(Path.Combine(dir, "metadata.csv"))) return;
            var (code, _, err) = CliTests.Kit("sample-dataset", dir, "--clips", "24");
            Assert.True(code == 0, $"kit sample-dataset failed ({code}):\n{err}");
        }
    }

    private readonly TempDir _dir = new("kit-catalog");

    public void Dispose() => _dir.Dispose();

    public static string NotebooksFolder => Path.Combine(RepoPaths.Root, "notebooks");

    /// <summary>An executed notebook stays small enough to open, share and keep as an artifact.</summary>
    public const long MaxExecutedBytes = 6L * 1024 * 1024;

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        // Sub-folders too (notebooks/aws/): named by their path under notebooks/, which is also where the copy lands.
        foreach (var nb in Directory.Exists(NotebooksFolder)
                     ? Directory.GetFiles(NotebooksFolder, "*.ipynb", SearchOption.AllDirectories)
                         .Select(f => Path.GetRelativePath(NotebooksFolder, f).Replace(Path.DirectorySeparatorChar, '/'))
                         .Where(f => !f.Contains(".ipynb_checkpoints/", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal).ToArray()
                     : [])
            data.Add(nb);
        return data;
    }

    [Fact]
    public void The_catalog_is_not_empty()
    {
        Assert.True(Notebooks().Count > 0, $"no notebooks in {NotebooksFolder}: notebooks/01-check-dataset.ipynb should be there");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_on_dotnet_repl(string name) =>
        AssertRuns(Path.Combine(NotebooksFolder, name), Path.Combine(RepoPaths.Root, "build", "notebooks", name));

    /// <summary>The test of the test: a notebook with a failing cell fails the check, which names notebook, cell and message.</summary>
    [Fact]
    public void The_check_fails_on_a_notebook_with_a_failing_cell_naming_notebook_cell_and_message()
    {
        var path = NotebookFile.Write(_dir["broken.ipynb"],
            "var before = 1;",
            "md:# text",
            "before += 1;\nthrow new InvalidOperationException(\"broken on purpose\");",
            "var after = before + 1;\nafter");

        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertRuns(path, _dir["out/broken.ipynb"]));

        Assert.Contains("broken.ipynb: cell 3 (before += 1;): System.InvalidOperationException: broken on purpose", e.Message);
        // dotnet-repl runs the cells after a failure too; the executed copy is kept for a person to read.
        var nb = NotebookFile.Read(_dir["out/broken.ipynb"]);
        Assert.Equal("3", NotebookFile.Text(NotebookFile.Outputs(nb, 4)[0]!["data"]!["text/plain"]));
    }

    /// <summary>`kit run NOTEBOOK --output COPY` in a child process must exit 0, leave a copy under 6 MB with at most one plotly.js.</summary>
    public static void AssertRuns(string notebook, string output)
    {
        var (code, stdout, stderr) = CliTests.KitWithin(TimeSpan.FromMinutes(10), "run", notebook, "--output", output);
        var failures = string.Join("\n", stderr.Split('\n').Where(l => l.StartsWith("kit run: ", StringComparison.Ordinal)));
        Assert.True(code == 0, $"kit run {notebook} exited {code} (executed copy: {output})\n{failures}\n{Tail(stderr)}\n{Tail(stdout)}");
        var size = new FileInfo(output).Length;
        Assert.True(size < MaxExecutedBytes, $"{output} is {size / 1e6:F1} MB (at most {MaxExecutedBytes / 1e6:F1} MB)");
        var plotlyCopies = PlotlyCopies(File.ReadAllText(output));
        Assert.True(plotlyCopies <= 1, $"{output} holds plotly.js {plotlyCopies} times (at most once)");
    }

    /// <summary>Copies of plotly.js in a notebook's text: its banner, once per copy.</summary>
    public static int PlotlyCopies(string text) => Regex.Matches(text, @"\* plotly\.js v\d").Count;

    private static string Tail(string s) => s.Length > 3000 ? "…" + s[^3000..] : s;
}
