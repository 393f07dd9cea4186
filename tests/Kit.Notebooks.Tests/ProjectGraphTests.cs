using System.Diagnostics;
using Kit.TestSupport;

namespace Kit.Notebooks.Tests;

/// <summary>The README's project graph (static/project-graph.svg) is the drawing of the .csproj files as they are.</summary>
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
}
