using System.Diagnostics;
using System.Xml.Linq;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>
/// The README's project graph (static/project-graph.svg) is the drawing of the .csproj files as they are, and the
/// references keep the layering it describes: the models apart from the trainer, each test project on what it tests.
/// </summary>
public sealed class ProjectGraphTests
{
    [Fact]
    public async Task The_readmes_project_graph_matches_the_csproj_files()
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "project-graph.py"));
        psi.ArgumentList.Add("--check");
        using var check = Process.Start(psi)!;
        var stderr = check.StandardError.ReadToEndAsync();
        await check.StandardOutput.ReadToEndAsync();
        await check.WaitForExitAsync();
        Assert.True(check.ExitCode == 0, await stderr);
    }

    [Fact]
    public void The_projects_keep_the_layering()
    {
        var graph = ProjectGraph.Read(RepoPaths.Root);
        Assert.Contains("Kit.Models", graph.Source);
        Assert.Contains("Kit.Models.Tests", graph.References.Keys);
        Assert.Empty(ProjectGraph.Violations(graph));
    }

    [Fact]
    public void The_layering_rules_catch_a_model_on_the_trainer_and_a_test_on_what_it_does_not_test()
    {
        var graph = new ProjectGraph(
            Source: new HashSet<string> { "Kit.Data", "Kit.Training", "Kit.Models", "Kit.Export" },
            References: new Dictionary<string, IReadOnlyList<string>>
            {
                ["Kit.Data"] = [],
                ["Kit.Training"] = ["Kit.Data"],
                ["Kit.Models"] = ["Kit.Data", "Kit.Training"],
                ["Kit.Export"] = ["Kit.Training"],
                ["Kit.TestSupport"] = ["Kit.Export"],
                ["Kit.Data.Tests"] = ["Kit.Data", "Kit.TestSupport"],
                ["Kit.Training.Tests"] = ["Kit.Training"],
            });
        var violations = ProjectGraph.Violations(graph);
        Assert.Contains(violations, v => v.StartsWith("Kit.Models reaches Kit.Training", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Kit.Data.Tests reaches Kit.Export", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("Kit.Data.Tests reaches Kit.Training", StringComparison.Ordinal));
        Assert.DoesNotContain(violations, v => v.StartsWith("Kit.Training.Tests", StringComparison.Ordinal));
    }
}

/// <summary>
/// The projects and their references as the .csproj files give them (with the Kit.TestSupport reference that
/// tests/Directory.Build.props gives every *.Tests project), and the two layering rules checked on them.
/// </summary>
public sealed record ProjectGraph(IReadOnlySet<string> Source, IReadOnlyDictionary<string, IReadOnlyList<string>> References)
{
    /// <summary>The models and their synthesis: TorchSharp, Kit.TorchExtras and Kit.Data, never the trainer.</summary>
    public static readonly string[] ModelProjects = ["Kit.Models", "Kit.Tortoise"];
    public static readonly string[] ModelsMayReach = ["Kit.TorchExtras", "Kit.Torch.Formats", "Kit.Data", "Kit.Display"];

    public static ProjectGraph Read(string root)
    {
        var source = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet();
        var references = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var folder in new[] { "src", "tests" })
        foreach (var csproj in Directory.GetFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(csproj);
            var refs = XDocument.Load(csproj).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/'))).ToList();
            if (name.EndsWith(".Tests", StringComparison.Ordinal)) refs.Add("Kit.TestSupport");
            references[name] = refs.Distinct().ToList();
        }
        return new ProjectGraph(source, references);
    }

    /// <summary>Every project <paramref name="project"/> reaches through its references, itself left out.</summary>
    public IReadOnlySet<string> Reach(string project)
    {
        var seen = new HashSet<string>();
        var todo = new Stack<string>(References.GetValueOrDefault(project) ?? []);
        while (todo.TryPop(out var next))
            if (seen.Add(next))
                foreach (var r in References.GetValueOrDefault(next) ?? []) todo.Push(r);
        return seen;
    }

    /// <summary>
    /// One line per broken rule: a model project that reaches beyond what a model needs, or a test project
    /// (Kit.X.Tests) that reaches, directly or through its test support, a src project that Kit.X does not itself
    /// depend on.
    /// </summary>
    public static IReadOnlyList<string> Violations(ProjectGraph graph)
    {
        var lines = new List<string>();
        foreach (var model in ModelProjects.Where(graph.References.ContainsKey))
            foreach (var reached in graph.Reach(model).Except(ModelsMayReach).Order(StringComparer.Ordinal))
                lines.Add($"{model} reaches {reached}: a model project depends on {string.Join(", ", ModelsMayReach)} only");
        foreach (var test in graph.References.Keys.Where(n => n.EndsWith(".Tests", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var tested = test[..^".Tests".Length];
            if (!graph.Source.Contains(tested))
            {
                lines.Add($"{test}: no src project {tested} for it to test");
                continue;
            }
            var allowed = graph.Reach(tested).Append(tested).ToHashSet();
            foreach (var reached in graph.Reach(test).Where(graph.Source.Contains).Except(allowed).Order(StringComparer.Ordinal))
                lines.Add($"{test} reaches {reached}, which {tested} does not depend on");
        }
        return lines;
    }
}
