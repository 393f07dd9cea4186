using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Every notebook in notebooks/ runs headless, in order, with its parameters' defaults, which point at the
/// built-in sample dataset in build/main-job/dataset (made here as the main job makes it, when missing);
/// the executed copies land in build/notebooks/, which CI keeps as an artifact.
/// </summary>
[TestCaseOrderer(ByNameOrderer.TypeName, ByNameOrderer.AssemblyName)]
public sealed class NotebookCatalogTests : IClassFixture<NotebookCatalogTests.SampleDataset>
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

    public static string NotebooksFolder => Path.Combine(RepoPaths.Root, "notebooks");

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
    public void Notebook_runs_headless(string name)
    {
        // One `kit run` process per notebook, as CI and users run them. In one shared process, a later
        // notebook's cells could bind to another copy of a Kit assembly an earlier notebook loaded, and fail
        // with MissingFieldException on a field of an earlier cell's submission.
        var output = Path.Combine(RepoPaths.Root, "build", "notebooks", name);
        var (code, stdout, stderr) = CliTests.KitWithin(TimeSpan.FromMinutes(10),
            "run", Path.Combine(NotebooksFolder, name), "--output", output);
        Assert.True(code == 0, $"kit run {name} exited {code}\n(executed copy: {output})\n{stderr}\n{stdout}");
        Assert.True(File.Exists(output));
    }
}
