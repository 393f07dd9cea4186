using System.Text.Json;
using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>
/// Issue 24's third CLI fault: `kit export` and `kit import` printed their verified line twice (the exporter's
/// log on stderr, the command on stdout), and import counted 6 files where export counted 7 for the same
/// bundle (export counted manifest.json, which it checks too). One line each now, the same count and bytes,
/// and export names manifest.json as the extra file it checked.
/// </summary>
public sealed class ExportImportOutputTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-export-output");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Export_then_import_each_print_one_verified_line_with_the_same_count()
    {
        var run = SavedRun.Create(_dir["run"]);
        string bundle = _dir["bundle"], imported = _dir["imported"];

        var export = KitCli.Run(["export", run, "--to", bundle, "--step", "20"]);
        Assert.True(export.Code == 0, export.Stderr);
        var import = KitCli.Run(["import", bundle, "--to", imported]);
        Assert.True(import.Code == 0, import.Stderr);

        // The bundle's own manifest: the files it lists and their bytes.
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(imported, "manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        long bytes = files.Sum(f => f.GetProperty("size").GetInt64());
        Assert.Equal(files.Count + 1, Directory.GetFiles(imported, "*", SearchOption.AllDirectories).Length); // and manifest.json

        Assert.Equal(
            [
                $"exported run 'run' step 20 to {bundle}: {files.Count} uploaded ({Kit.Display.ByteSize.Format(bytes)}), 0 already there",
                $"verified {files.Count} files ({bytes:N0} bytes) and manifest.json at {bundle}: sizes and checksums match the manifest",
            ],
            Lines(export.Stdout));
        Assert.Equal(
            [
                $"imported run 'run' step 20 into {imported}",
                $"verified {files.Count} files ({bytes:N0} bytes) at {bundle}: sizes and checksums match the manifest",
            ],
            Lines(import.Stdout));
        Assert.DoesNotContain("verified", export.Stderr);
        Assert.DoesNotContain("verified", import.Stderr);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
