using Kit.Display;
using Kit.Export.Bundles;
using Kit.Export.Tests.Fixtures;
using Kit.TestSupport;

namespace Kit.Export.Tests.Local;

/// <summary>What notebook 04 shows: the bundle plan as a table and the transfer progress.</summary>
public sealed class PlanDisplayTests
{
    [Fact]
    public async Task The_plan_table_lists_every_file_with_its_size_and_a_total()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), ExportState.InMemory());

        var table = plan.Table();
        Assert.Equal(plan.Files.Count + 1, table.Rows.Count);
        Assert.Equal(plan.Files.Select(f => f.RelativePath), table.Rows.Take(plan.Files.Count).Select(r => r[0]));
        Assert.Equal(ByteSize.Format(plan.TotalBytes), table.Rows[^1][1]);
        Assert.Contains("step 100", table.Title);
    }

    [Fact]
    public void Transfer_progress_shows_bytes_and_the_file_in_flight_and_restarts_on_a_new_phase()
    {
        var progress = new TransferProgressDisplay();
        Assert.Equal("waiting to start", progress.ToString());
        progress.Report(new TransferProgress("uploading", "weights/model.pth", 512, 2048));
        Assert.StartsWith("uploading: 512 B of 2.0 KiB", progress.ToString());
        Assert.EndsWith("(weights/model.pth)", progress.ToString());
        progress.Report(new TransferProgress("verifying", null, 2048, 2048));
        Assert.StartsWith("verifying: 2.0 KiB of 2.0 KiB", progress.ToString());
        Assert.DoesNotContain("weights/model.pth", progress.ToString());
        var html = progress.Render().Single(r => r.MimeType == Rendering.Html).Content;
        Assert.Contains("<progress max=\"2048\" value=\"2048\"", html);
    }
}
