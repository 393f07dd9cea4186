using System.Text.Json;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.Tests.Fixtures;
using Kit.TestSupport;
using Kit.Training.Checkpoints;

namespace Kit.Export.Tests.Local;

/// <summary>
/// Fault 1 of issue 13: a checkpoint damaged after the trainer saved it is never shipped as verified. Export
/// checks every checkpoint file against the trainer's manifest (written at save time), takes the newest intact
/// step and names it; import checks the weights against that manifest again.
/// </summary>
public sealed class DamagedCheckpointExportTests
{
    private static void Truncate(string path, long length)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
        fs.SetLength(length);
    }

    private static void FlipByte(string path, int at)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at] ^= 0x40;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Exports a synthetic run (tmp/run) to a local folder (tmp/out) and returns that destination.</summary>
    private static async Task<LocalFolderDestination> ExportSyntheticRun(TempDir tmp)
    {
        var dest = new LocalFolderDestination(tmp["out"]);
        await new Exporter(dest, ExportState.InMemory()).ExportAsync(SyntheticRun.Create(tmp["run"]), new BundleOptions());
        return dest;
    }

    [Fact]
    public async Task A_truncated_newest_model_is_skipped_by_name_and_the_previous_intact_step_is_exported()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        File.Delete(Path.Combine(run.Root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.BestFile)); // no best: newest first
        Truncate(Path.Combine(run.StepFolder(200), "model.pth"), 1000);
        var lines = new List<string>();
        await using var dest = new LocalFolderDestination(tmp["out"]);

        var result = await new Exporter(dest, ExportState.InMemory(), new ActionLog(lines.Add)).ExportAsync(run, new BundleOptions());

        Assert.Equal(100, result.Manifest.Step);
        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Contains(lines, l => l.StartsWith("skipping checkpoint step 200: ") && l.Contains("model.pth has 1000 bytes"));
        Assert.Contains(lines, l => l.StartsWith("exporting step 100, the newest intact checkpoint"));
        // The bundle carries the trainer's manifest of the step it holds, and its weights match it.
        var checkpoint = result.Manifest.Checkpoint;
        Assert.NotNull(checkpoint);
        Assert.Equal(100, checkpoint.Step);
        var trainer = CheckpointManifest.Read(run.StepFolder(100), out _)!;
        Assert.Equal(trainer.Files, checkpoint.Files);
        var (_, report) = await new Importer(dest).ImportAsync(tmp["imported"]);
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.StepFolder(100), "model.pth")), File.ReadAllBytes(Path.Combine(tmp["imported"], "weights", "model.pth")));
    }

    [Fact]
    public async Task A_damaged_best_step_falls_back_to_the_newest_intact_one_and_says_the_best_is_damaged()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"], bestStep: 100);
        FlipByte(Path.Combine(run.StepFolder(100), "model.safetensors"), 5000); // same size: only the checksum tells
        var lines = new List<string>();

        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), ExportState.InMemory(), log: new ActionLog(lines.Add));

        Assert.Equal(200, plan.Step);
        Assert.Null(plan.ValLoss); // the validation loss belongs to step 100, not to what is exported
        Assert.Contains(lines, l => l.Contains("step 100: ") && l.Contains("model.safetensors does not match its checksum"));
        Assert.Contains(lines, l => l.Contains("(the best by dev_epoch/loss, step 100, is damaged)"));
        Assert.All(plan.Files.Where(f => f.RelativePath.StartsWith("weights/")), f => Assert.StartsWith(run.StepFolder(200), f.SourcePath));
    }

    [Fact]
    public async Task A_damaged_step_asked_for_by_number_is_refused_with_the_reason()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        Truncate(Path.Combine(run.StepFolder(200), "model.pth"), 10);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => BundlePlanner.PlanAsync(run, new BundleOptions { Step = 200 }, ExportState.InMemory()));
        Assert.Contains("checkpoint step 200 does not match the trainer's manifest", e.Message);
        Assert.Contains("model.pth has 10 bytes", e.Message);
    }

    [Fact]
    public async Task A_step_without_the_trainers_manifest_is_an_unfinished_save_and_no_manifest_is_made_up_for_it()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        File.Delete(Path.Combine(run.StepFolder(100), CheckpointManifest.FileName));
        File.Delete(Path.Combine(run.StepFolder(200), CheckpointManifest.FileName));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => BundlePlanner.PlanAsync(run, new BundleOptions(), ExportState.InMemory()));
        Assert.Contains("no checkpoint matches the trainer's manifest", e.Message);
        Assert.Contains("step 200: no manifest (the save did not finish)", e.Message);
        Assert.Contains("step 100: no manifest", e.Message);
        Assert.False(File.Exists(Path.Combine(run.StepFolder(200), CheckpointManifest.FileName)));
    }

    [Fact]
    public async Task A_file_added_to_a_step_folder_after_the_save_is_not_part_of_the_checkpoint()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        File.WriteAllText(Path.Combine(run.StepFolder(100), "notes.txt"), "someone's notes");

        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), ExportState.InMemory());

        Assert.Equal(100, plan.Step);
        Assert.DoesNotContain(plan.Files, f => f.RelativePath.EndsWith("notes.txt"));
    }

    [Fact]
    public async Task Import_refuses_weights_that_match_the_bundles_manifest_but_not_the_trainers()
    {
        using var tmp = new TempDir();
        await using var dest = await ExportSyntheticRun(tmp);

        // A bundle whose manifest was made from a damaged file (what the old export did): the weights and the
        // bundle's entry agree with each other, not with what the trainer saved.
        var weights = Path.Combine(tmp["out"], "weights", "model.pth");
        FlipByte(weights, 100);
        var manifestPath = Path.Combine(tmp["out"], BundleManifest.FileName);
        var manifest = BundleManifest.Parse(File.ReadAllBytes(manifestPath), "manifest");
        var hashes = await FileHashes.ComputeAsync(weights);
        manifest = manifest with
        {
            Files = manifest.Files.Select(f => f.Path == "weights/model.pth" ? f with { Sha256 = hashes.Sha256, Md5 = hashes.Md5 } : f).ToList(),
        };
        File.WriteAllBytes(manifestPath, manifest.ToJsonBytes());

        var (_, report) = await new Importer(dest).ImportAsync(tmp["imported"]);

        Assert.False(report.Ok);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("weights/model.pth", problem.Path);
        Assert.Contains("the trainer's checkpoint manifest of step 100", problem.Detail);
    }

    [Fact]
    public async Task The_bundle_manifest_on_disk_carries_the_trainers_checksums()
    {
        using var tmp = new TempDir();
        await using var dest = await ExportSyntheticRun(tmp);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(tmp["out"], BundleManifest.FileName)));
        var files = json.RootElement.GetProperty("checkpoint").GetProperty("files");
        Assert.Contains(files.EnumerateArray(), f => f.GetProperty("name").GetString() == "model.pth" && f.GetProperty("sha256").GetString()!.Length == 64);
    }
}
