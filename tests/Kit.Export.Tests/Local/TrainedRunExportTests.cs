using Kit.Training.Metrics;
using Kit.Training.Checkpoints;
using System.Text.Json;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.TestSupport;
using Kit.Torch.Formats;
using Kit.Training.Config;
using Kit.Training.Loop;

namespace Kit.Export.Tests.Local;

/// <summary>The exporter against a run folder the real trainer wrote (tiny-duration recipe, sample dataset).</summary>
public sealed class TrainedRunExportTests
{
    private static string TrainTinyRun(string runDir)
    {
        var dataset = SampleDatasets.Get(40);
        var config = DemoRun.Config(dataset, runDir, steps: 30, validateEvery: 10, saveEvery: 10, printEvery: 10, seed: 3, name: "export-test");
        var result = Trainer.Run(config, runDirectory: runDir);
        Assert.NotNull(result.LastCheckpointStep);
        return runDir;
    }

    [Fact]
    public async Task A_trained_run_exports_its_inference_weights_logs_and_config_and_imports_back()
    {
        using var tmp = new TempDir();
        var run = new RunFolder(TrainTinyRun(tmp["run"]));
        var (step, valLoss) = run.ChooseStep(null);
        Assert.NotNull(valLoss); // the trainer's best.json was read
        var stepDir = run.StepFolder(step);
        foreach (var name in new[] { "model.pth", CheckpointFiles.TrainingState, TrainingProgress.FileName, CheckpointManifest.FileName })
            Assert.True(File.Exists(Path.Combine(stepDir, name)), $"the trainer no longer writes {name} into {stepDir}; update RunFolder's contract");

        await using var dest = new LocalFolderDestination(tmp["out/voice"]);
        var result = await new Exporter(dest, ExportState.Load(run.Path(RunFolder.ExportStateFile))).ExportAsync(run, new BundleOptions());
        Assert.True(result.Verification.Ok, result.Verification.ToString());

        var paths = result.Manifest.Files.Select(f => f.Path).ToList();
        Assert.Equal(["weights/model.pth"], paths.Where(p => p.StartsWith("weights/", StringComparison.Ordinal)));
        Assert.DoesNotContain(paths, p => p.StartsWith("training_state/", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.EndsWith("/manifest.json", StringComparison.Ordinal) || p.EndsWith("/state.json", StringComparison.Ordinal));
        Assert.Contains(CheckpointFiles.ConfigFile, paths);
        Assert.Contains(MetricsLog.FileName, paths);
        Assert.Contains(paths, p => p.StartsWith("tensorboard/events.out.tfevents.", StringComparison.Ordinal));

        var (_, report) = await new Importer(dest).ImportAsync(tmp["imported"]);
        Assert.True(report.Ok, report.ToString());
        var weights = Pth.LoadStateDict(Path.Combine(tmp["imported"], "weights", "model.pth"));
        Assert.Equal(Pth.LoadStateDict(Path.Combine(stepDir, "model.pth")).Keys, weights.Keys);
        Assert.NotEmpty(weights.Keys);
        var manifest = BundleManifest.Parse(File.ReadAllBytes(Path.Combine(tmp["imported"], BundleManifest.FileName)), "imported manifest");
        Assert.Equal(step, manifest.Step);
        Assert.Equal(paths, manifest.Files.Select(f => f.Path));
        Assert.NotEmpty(File.ReadAllLines(Path.Combine(tmp["imported"], MetricsLog.FileName)));
    }

    [Fact]
    public async Task With_the_training_state_the_trainers_state_json_travels_with_it_but_its_manifest_never_does()
    {
        using var tmp = new TempDir();
        var run = new RunFolder(TrainTinyRun(tmp["run"]));
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions { WithTrainingState = true }, ExportState.InMemory());

        var paths = plan.Files.Select(f => f.RelativePath).ToList();
        Assert.Contains("training_state/training_state.pt", paths);
        Assert.Contains("training_state/state.json", paths);
        Assert.Equal(["weights/model.pth"], paths.Where(p => p.StartsWith("weights/", StringComparison.Ordinal)));
        Assert.DoesNotContain(paths, p => p.EndsWith("manifest.json", StringComparison.Ordinal));
        using var state = JsonDocument.Parse(File.ReadAllBytes(plan.Files.Single(f => f.RelativePath == "training_state/state.json").SourcePath));
        Assert.Equal(JsonValueKind.Object, state.RootElement.ValueKind);
    }
}
