using Kit.Training.Checkpoints;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.Tests.Fixtures;
using Kit.Export.Verification;
using Kit.TestSupport;

namespace Kit.Export.Tests.Local;

public sealed class LocalFolderExportTests
{
    [Fact]
    public async Task Export_to_a_folder_and_import_back_gives_identical_files_and_a_complete_manifest()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = new LocalFolderDestination(tmp["out/my-voice"]);

        var result = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        var m = result.Manifest;
        Assert.Equal(("run", 100L, 0.015), (m.Run, m.Step, m.ValLoss!.Value));
        Assert.Equal(BundleManifest.CurrentKitVersion, m.KitVersion);
        Assert.Equal(
            ["run.yml", "settings.json", "metrics.jsonl", "weights/model.pth", "weights/model.safetensors",
             "samples/step-000000100-0.wav", "samples/step-000000100-1.wav", "plots/loss.svg"],
            m.Files.Select(f => f.Path));
        foreach (var f in m.Files)
        {
            var written = await FileHashes.ComputeAsync(Path.Combine(tmp["out/my-voice"], f.Path));
            Assert.Equal((f.Size, f.Sha256, f.Md5), (written.Size, written.Sha256, written.Md5));
        }
        var onDisk = BundleManifest.Parse(File.ReadAllBytes(Path.Combine(tmp["out/my-voice"], BundleManifest.FileName)), "manifest");
        Assert.Equal(m.Files, onDisk.Files);

        var (imported, report) = await new Importer(dest).ImportAsync(tmp["imported"]);
        Assert.True(report.Ok, report.ToString());
        foreach (var f in imported.Files)
            Assert.Equal(File.ReadAllBytes(Path.Combine(tmp["out/my-voice"], f.Path)), File.ReadAllBytes(Path.Combine(tmp["imported"], f.Path)));
    }

    [Fact]
    public async Task A_named_step_and_the_training_state_are_exported_only_when_asked()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions { Step = 200, WithTrainingState = true }, ExportState.InMemory());

        Assert.Equal(200, plan.Step);
        Assert.Null(plan.ValLoss); // best.json points at 100
        var state = plan.Files.Single(f => f.RelativePath == "training_state/training_state.pt");
        Assert.Equal(Path.Combine(run.StepFolder(200), CheckpointFiles.TrainingState), state.SourcePath);
        Assert.All(plan.Files.Where(f => f.RelativePath.StartsWith("samples/")), f => Assert.Contains("step-000000200", f.RelativePath));
        var e = Assert.Throws<ArgumentException>(() => run.ChooseStep(150));
        Assert.Contains("saved steps: 100, 200", e.Message);
    }

    [Fact]
    public async Task Best_json_by_a_named_metric_picks_the_exported_step_as_an_old_one_by_val_loss_does()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]); // its best.json is the old kind: {"step": 100, "val_loss": 0.015}
        Assert.Equal(new BestCheckpoint(100, 0.015), run.Best());
        File.WriteAllText(run.Path("checkpoints/best.json"),
            """{"step": 200, "metric": "dev_free/mcd_db", "value": 5.25, "folder": "step-000000200"}""");
        Assert.Equal(new BestCheckpoint(200, null, "dev_free/mcd_db", 5.25), run.Best());
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), ExportState.InMemory());
        Assert.Equal(200, plan.Step);
        Assert.Null(plan.ValLoss); // best by another metric than the validation loss
    }

    [Fact]
    public async Task Verification_names_a_corrupted_file_and_import_refuses_it()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var state = ExportState.InMemory();
        await using var dest = new LocalFolderDestination(tmp["out"]);
        await new Exporter(dest, state).ExportAsync(run, new BundleOptions());
        var victim = Path.Combine(tmp["out"], "weights", "model.safetensors");
        var bytes = File.ReadAllBytes(victim);
        bytes[1000] ^= 0x01;
        File.WriteAllBytes(victim, bytes);

        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), state);
        var report = await Verifier.VerifyAsync(dest, plan.Files, default);
        var (_, imported) = await new Importer(dest).ImportAsync(tmp["imported"]);

        Assert.Equal("weights/model.safetensors", Assert.Single(report.Problems).Path);
        Assert.Contains("SHA-256", report.Problems[0].Detail);
        Assert.Equal("weights/model.safetensors", Assert.Single(imported.Problems).Path);
        Assert.False(File.Exists(Path.Combine(tmp["imported"], "weights", "model.safetensors")));
        Assert.Contains("do not match the manifest", report.ToString());
    }

    [Fact]
    public async Task An_interrupted_copy_is_continued_not_restarted()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"], weightBytes: 2_000_000);
        var state = ExportState.InMemory();
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), state);
        var weights = plan.Files.Single(f => f.RelativePath == "weights/model.safetensors");
        var target = Path.Combine(tmp["out"], "weights", "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".partial", File.ReadAllBytes(weights.SourcePath).AsSpan(0, 1_500_000).ToArray());
        await using var dest = new LocalFolderDestination(tmp["out"]);
        var reports = new List<long>();

        await dest.UploadAsync(weights, new CountingProgress(reports.Add), default);

        Assert.Equal(File.ReadAllBytes(weights.SourcePath), File.ReadAllBytes(target));
        Assert.Equal(1_500_000, reports[0]); // what the partial file already held, reported at once
        Assert.Equal(500_000, reports.Skip(1).Sum()); // only the rest was copied
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public void A_run_folder_without_its_config_is_refused_with_the_path()
    {
        using var tmp = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => new RunFolder(tmp.Path));
        Assert.Contains(Path.Combine(tmp.Path, "run.yml"), e.Message);
    }

    [Fact]
    public async Task An_older_kit_s_run_folder_exports_its_config_yaml_as_the_bundle_s_run_yml()
    {
        using var tmp = new TempDir();
        SyntheticRun.Create(tmp["run"]);
        File.Move(Path.Combine(tmp["run"], "run.yml"), Path.Combine(tmp["run"], "config.yaml"));
        var run = new RunFolder(tmp["run"]); // an older kit's record is a run folder's config too
        await using var dest = new LocalFolderDestination(tmp["out"]);

        var result = await new Exporter(dest, ExportState.Load(run.Path(RunFolder.ExportStateFile))).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Equal("run.yml", result.Manifest.Files[0].Path);
        Assert.DoesNotContain(result.Manifest.Files, f => f.Path == "config.yaml");
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp["run"], "config.yaml")), File.ReadAllBytes(Path.Combine(tmp["out"], "run.yml")));
    }

    private sealed class CountingProgress(Action<long> add) : IProgress<long>
    {
        public void Report(long value) => add(value);
    }
}
