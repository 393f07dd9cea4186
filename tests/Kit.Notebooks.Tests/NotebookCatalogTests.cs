using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// Every notebook in notebooks/ (sub-folders too) runs on dotnet-repl, as `kit run` runs it, in order, with
/// its parameters' defaults, which point at the built-in sample dataset in build/main-job/dataset (made here
/// as the main job makes it, when missing), except for the few set in <see cref="TestParameters"/>. The
/// executed copies land in build/notebooks/ (a CI artifact).
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
            var (code, _, err) = KitCli.Run("sample-dataset", dir, "--clips", "24");
            Assert.True(code == 0, $"kit sample-dataset failed ({code}):\n{err}");
        }
    }

    private readonly TempDir _dir = new("kit-catalog");

    public void Dispose() => _dir.Dispose();

    public static string NotebooksFolder => Path.Combine(RepoPaths.Root, "notebooks");

    /// <summary>An executed notebook stays small enough to open, share and keep as an artifact.</summary>
    public const long MaxExecutedBytes = 6_000_000;

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

    /// <summary>
    /// Where a default demo spends its time on CPU work that shows nothing more, the same cells run on less of
    /// it. Notebook 05 trained its two tiny models for 30 + 20 steps and then ran WaveRNN, one sample at a time,
    /// through 16 s of audio (the barely trained spectrogram model speaks until its length cap, 15 frames a
    /// symbol): 35 of the catalog's 64 s of cell time on a quiet machine, 8.7 of 17 minutes under load. Two short
    /// lines still go through as one batch, one with a sum to normalize, and each model still trains, validates
    /// and saves; so does 03b's GPT in 5 steps instead of 15 (83 s under load, 2.5 s quiet).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> TestParameters = new Dictionary<string, string[]>
    {
        ["03b-finetune-gpt.ipynb"] = ["demoSteps=5"],
        ["05-synthesize.ipynb"] = ["demoSteps=10", "demoSignalSteps=5", "lines=Hi.|Pay $3."],
    };

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_runs_on_dotnet_repl(string name) =>
        AssertRuns(Path.Combine(NotebooksFolder, name), Path.Combine(RepoPaths.Root, "build", "notebooks", name),
            TestParameters.GetValueOrDefault(name, []));

    /// <summary>The test of the test: a notebook with a failing cell fails the check, which names notebook, cell and message.</summary>
    [Fact]
    public void The_check_fails_on_a_notebook_with_a_failing_cell_naming_notebook_cell_and_message()
    {
        var path = NotebookFile.Write(_dir["broken.ipynb"],
            "var before = 1;",
            "md:# text",
            "before += 1;\nthrow new InvalidOperationException(\"broken on purpose\");",
            "Console.WriteLine($\"after {before + 1}\");");

        var e = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertRuns(path, _dir["out/broken.ipynb"]));

        Assert.Contains("broken.ipynb: cell 3 (before += 1;): System.InvalidOperationException: broken on purpose", e.Message);
        // dotnet-repl runs the cells after a failure too; the executed copy is kept for a person to read.
        var nb = NotebookFile.Read(_dir["out/broken.ipynb"]);
        Assert.Equal("after 3\n", NotebookFile.Text(NotebookFile.Outputs(nb, 4)[0]!["text"]));
    }

    private const string TraceLine = "svg.main-svg .scatterlayer .trace path.js-line";

    /// <summary>
    /// After the notebooks ran (this class runs its tests by name): headless Chromium shows the training
    /// view's first frame (which brought plotly.js), then swaps in the final cell's redraw as VS Code replaces
    /// an updated output: the redraw has no plotly.js yet draws its loss curve. Screenshots of it, the
    /// dataset check and the parameters table go to build/notebooks/screenshots/ (scripts/static-pictures.sh
    /// copies them to static/ for the README).
    /// </summary>
    [Fact]
    public async Task Then_chromium_draws_a_training_view_redraw_without_plotly_js_and_screenshots_the_notebooks()
    {
        var copies = Path.Combine(RepoPaths.Root, "build", "notebooks");
        foreach (var name in new[] { "01-check-dataset.ipynb", "02-calculate-parameters.ipynb", "03-train.ipynb" })
            if (!File.Exists(Path.Combine(copies, name))) AssertRuns(Path.Combine(NotebooksFolder, name), Path.Combine(copies, name));
        var shots = Path.Combine(copies, "screenshots");
        Directory.CreateDirectory(shots);

        var train = NotebookFile.Read(Path.Combine(copies, "03-train.ipynb"));
        var first = Htmls(train, "Trainer.Start(")[0];
        var redraw = Htmls(train, "run.Display.Complete()")[^1];
        Assert.True(PlotlyCopies(first) == 1, "the training view's first frame should bring plotly.js (the notebook's first chart)");
        Assert.Equal(0, PlotlyCopies(redraw));
        Assert.True(redraw.Length < 100_000, $"a redraw is {redraw.Length / 1000} KB (goal: under 100 KB)");

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(Page("training.html", first), 900, 700);
        try
        {
            await page.EvaluateAsync(SwapScript, redraw);
            // As long as the chart itself keeps waiting for plotly.js: under CI load, unpacking and compiling it took over 30 s.
            Assert.True(await Browser.WaitForAsync(page, TraceLine, HangGuard.Limit), "the redraw drew no plotly trace");
            var pathLength = await page.EvaluateAsync<int>($"() => (document.querySelector('{TraceLine}').getAttribute('d') || '').length");
            Assert.True(pathLength > 20, $"the loss curve's path has {pathLength} characters");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('.kit-chart-static:not([style*=\"none\"])').length"));
            await Screenshot(page, Path.Combine(shots, "training-view.png"));
        }
        finally { await page.CloseAsync(); }

        var check = NotebookFile.Read(Path.Combine(copies, "01-check-dataset.ipynb"));
        await ScreenshotPage(browser, Page("check.html", Htmls(check, "DatasetCheck.Run(")[0] + Htmls(check, "new Histogram(")[0]), Path.Combine(shots, "dataset-check.png"));
        var parameters = NotebookFile.Read(Path.Combine(copies, "02-calculate-parameters.ipynb"));
        await ScreenshotPage(browser, Page("parameters.html", Htmls(parameters, "ParameterCalculator.Calculate(")[0]), Path.Combine(shots, "parameters-table.png"));
    }

    /// <summary>Replaces the output's content with new HTML and runs its scripts, as a notebook front end does on an update.</summary>
    private const string SwapScript = """
        html => {
          const out = document.getElementById('output');
          out.innerHTML = html;
          for (const old of out.querySelectorAll('script')) { const s = document.createElement('script'); s.text = old.text; old.replaceWith(s); }
        }
        """;

    private static async Task ScreenshotPage(Browser browser, string file, string to)
    {
        var page = await browser.NewPageAsync(file, 900, 700);
        try
        {
            if (File.ReadAllText(file).Contains("kit-chart", StringComparison.Ordinal))
                Assert.True(await Browser.WaitForAsync(page, TraceLine + ", svg.main-svg .barlayer", HangGuard.Limit), $"{file}: plotly drew nothing");
            await Screenshot(page, to);
        }
        finally { await page.CloseAsync(); }
    }

    /// <summary>The page's top 900×700 (the README pictures stay small).</summary>
    private static async Task Screenshot(IPage page, string to)
    {
        await page.WaitForTimeoutAsync(300); // plotly's transitions
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = to, Clip = new Clip { X = 0, Y = 0, Width = 900, Height = 700 } });
    }

    /// <summary>The text/html of every output of the first code cell whose source contains <paramref name="source"/>.</summary>
    private static List<string> Htmls(JsonObject nb, string source)
    {
        var cell = ((JsonArray)nb["cells"]!).OfType<JsonObject>()
            .First(c => c["cell_type"]?.GetValue<string>() == "code" && NotebookFile.Text(c["source"]).Contains(source, StringComparison.Ordinal));
        return ((JsonArray)cell["outputs"]!).OfType<JsonObject>().Select(o => o["data"]?["text/html"]).Where(h => h is not null).Select(NotebookFile.Text).ToList();
    }

    private string Page(string name, string body)
    {
        var file = _dir[name];
        File.WriteAllText(file, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>" +
                                $"<body style=\"margin:8px;background:#fff;font-family:sans-serif;font-size:13px\"><div id=\"output\">{body}</div></body></html>");
        return file;
    }

    /// <summary>`kit run NOTEBOOK --output COPY [--set name=value]...` in a child process must exit 0, leave a copy under 6 MB with at most one plotly.js.</summary>
    private static void AssertRuns(string notebook, string output, params string[] set)
    {
        var (code, stdout, stderr) = KitCli.Run(["run", notebook, "--output", output, .. set.SelectMany(a => new[] { "--set", a })]);
        var failures = string.Join("\n", stderr.Split('\n').Where(l => l.StartsWith("kit run: ", StringComparison.Ordinal)));
        Assert.True(code == 0, $"kit run {notebook} exited {code} (executed copy: {output})\n{failures}\n{Tail(stderr)}\n{Tail(stdout)}");
        var size = new FileInfo(output).Length;
        Assert.True(size < MaxExecutedBytes, $"{output} is {size / 1e6:F1} MB (at most {MaxExecutedBytes / 1e6:F1} MB)");
        var plotlyCopies = PlotlyCopies(File.ReadAllText(output));
        Assert.True(plotlyCopies <= 1, $"{output} holds plotly.js {plotlyCopies} times (at most once)");
    }

    /// <summary>Copies of plotly.js in a notebook's text: its banner (plain, or the kit's packed block), once per copy.</summary>
    public static int PlotlyCopies(string text) => Regex.Matches(text, @"\* plotly\.js v\d").Count;

    private static string Tail(string s) => s.Length > 3000 ? "…" + s[^3000..] : s;
}
