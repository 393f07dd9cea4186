using Kit.Aws.Checkpoints;
using Kit.Aws.Datasets;
using Kit.Aws.Launch;
using Kit.Aws.Spot;
using Kit.Aws.Tests.Support;
using Kit.TestSupport;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Metrics;

namespace Kit.Aws.Tests;

/// <summary>
/// The whole spot story with the real trainer: `kit train` (build/kit/kit.dll, a child process) on the sample
/// dataset with the environment the boot script gives it, a loopback metadata service and s3rver. The dataset
/// goes to the run's prefix first (as `kit aws launch --dataset` sends it). The notice arrives mid-training; the
/// run saves, uploads and exits 0 inside the two minutes; then on a new VM (no dataset, no config, no
/// checkpoints) the boot script's `kit aws fetch-dataset` brings the dataset back from s3rver and `kit train
/// --resume` in an empty folder continues from the step in S3.
/// </summary>
public sealed class SpotTrainEndToEndTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-e2e");
    private readonly FakeImds imds = new();

    public void Dispose()
    {
        imds.Dispose();
        temp.Dispose();
    }

    private KitChild StartKitTrain(string storeAddress, params string[] args) => StartKit(storeAddress, ["train", .. args]);

    // What kit-train-boot exports on the VM, with loopback stand-ins for AWS; no profile or real keys leak in.
    // holdAfterStep: the run waits after that step until it is stopped (the training loop's test hook), so the
    // notice always finds it training; its microsecond steps could otherwise run out first on a loaded machine.
    private KitChild StartKit(string storeAddress, string[] args, long? holdAfterStep = null) => KitChild.Start(new Dictionary<string, string?>(s3.KitEnvironment())
    {
        [TrainingRunSettings.CheckpointStoreVariable] = storeAddress,
        [TrainingRunSettings.SpotWatchVariable] = "1",
        [SpotTrainingGuard.MetadataEndpointVariable] = imds.BaseUri.ToString(),
        [SpotTrainingGuard.PollSecondsVariable] = "0.5",
        ["KIT_TEST_HOLD_AFTER_STEP"] = holdAfterStep?.ToString(),
    }, args);

    private static void WaitForExit(KitChild child, string what)
    {
        var (code, _, _) = child.WaitForExit();
        Assert.True(code == 0, $"kit exited {code} ({what}):\n{child.Transcript}");
    }

    private string WriteConfig(string runDir, string dataset)
    {
        // Saves every 5 steps go up in the background; the notice's save comes between them.
        var config = DemoRun.Config(dataset, runDir, steps: 1_000_000, validateEvery: 10, saveEvery: 5, printEvery: 1, seed: 3, name: "spot-e2e");
        var path = temp["spot-e2e-config.yaml"];
        RunConfigFile.Write(config, path);
        return path;
    }

    private static long StoppedAt(KitChild child, string reason)
    {
        var stopped = child.Lines.Where(l => l.StartsWith("Stopping at step ", StringComparison.Ordinal)).ToList();
        Assert.True(stopped.Count == 1, $"expected one 'Stopping at step' line:\n{child.Transcript}");
        Assert.Contains(reason, stopped[0]);
        return long.Parse(stopped[0]["Stopping at step ".Length..].Split(':')[0]);
    }

    [Fact]
    public async Task The_notice_stops_kit_train_with_its_checkpoint_in_S3_and_a_new_VM_resumes_at_that_step()
    {
        var run = RunAddresses.For(s3.Address("runs"), "spot-e2e");
        var address = run.Checkpoints;
        var vm1 = temp["vm1/run"];
        var dataset = SampleDatasets.CopyTo(temp["data"], clips: 40);
        await using (var datasets = DatasetStore.Open(run.Dataset, s3.Options))
            await datasets.UploadAsync(dataset);

        // VM 1: a fresh run; the interruption notice comes once it is training.
        using var first = StartKit(address, ["train", WriteConfig(vm1, dataset), "--output", vm1], holdAfterStep: 12);
        first.WaitForLine(l => l.StartsWith("step 12 ", StringComparison.Ordinal), "step 12");
        imds.SetNotice("terminate", DateTimeOffset.UtcNow.AddMinutes(2));
        // Whether the stop fit the notice's two minutes is the run's own verdict ("did not finish in time", below),
        // not the test's clock: a loaded test machine stretches the stop past any window.
        WaitForExit(first, "the interruption notice");
        var stepAtNotice = StoppedAt(first, "spot interruption notice");
        Assert.True(stepAtNotice == 12, $"stopped at step {stepAtNotice}, not at step 12 where the run waited for the notice");
        Assert.DoesNotContain(first.Lines, l => l.Contains("did not finish in time", StringComparison.Ordinal));

        // The checkpoint of the stop is in S3, complete: every file the trainer saved, its manifest among them.
        var local = new CheckpointStore(vm1).FindNewestReadable();
        Assert.Equal(stepAtNotice, local!.Step);
        await using (var store = DestinationCheckpointStore.Open(address, s3.Options))
        {
            var stored = (await store.ListCompleteAsync())[0];
            Assert.Equal(stepAtNotice, stored.Step);
            Assert.Equal(CheckpointFiles.StepFolderName(stepAtNotice), stored.Folder);
            // Every file the trainer saved is listed in its manifest, which is stored as the trainer wrote it.
            var localFiles = Directory.GetFiles(local.Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(localFiles.Where(f => f != CheckpointManifest.FileName), stored.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
            Assert.Equal(local.Manifest, stored.Manifest with { Files = local.Manifest.Files });
            Assert.Equal(local.Manifest.Files, stored.Files);
            Assert.Contains(TrainingProgress.FileName, localFiles);
        }

        // VM 2: an empty disk (not even the dataset) and the same store; only the run folder's name is given.
        imds.SetNoNotice();
        Directory.Delete(dataset, recursive: true);
        using var fetch = StartKit(address, ["aws", "fetch-dataset", run.Dataset, dataset]);
        WaitForExit(fetch, "fetching the dataset");
        var datasetFiles = DatasetFiles.Hashes(SampleDatasets.Get(40)).Count;
        Assert.Contains(fetch.Lines, l => l.StartsWith($"dataset in {dataset}: {datasetFiles} files; fetched {datasetFiles} (", StringComparison.Ordinal));
        Assert.Equal(datasetFiles, Directory.GetFiles(dataset, "*", SearchOption.AllDirectories).Length);
        var vm2 = temp["vm2/run"];
        using var second = StartKitTrain(address, "--resume", vm2, "--max-steps", (stepAtNotice + 6).ToString());
        WaitForExit(second, "the step limit");
        Assert.Contains(second.Lines, l => l.StartsWith($"Fetched checkpoint step {stepAtNotice} ", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.StartsWith($"Resuming at step {stepAtNotice} ", StringComparison.Ordinal));
        Assert.Equal(stepAtNotice + 6, StoppedAt(second, "step limit"));

        // Same settings as the first VM's run, restored from the checkpoint.
        Assert.Equal(File.ReadAllText(Path.Combine(vm1, CheckpointFiles.ConfigFile)), File.ReadAllText(Path.Combine(vm2, CheckpointFiles.ConfigFile)));
        // The second VM's metrics go on from the step after the notice, one line per step.
        var trained = MetricsLog.Read(Path.Combine(vm2, MetricsLog.FileName)).Where(r => r.Kind == "train").Select(r => r.Step).ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => stepAtNotice + i), trained);
        Assert.Equal(stepAtNotice + 6, new CheckpointStore(vm2).FindNewestReadable()!.Step);
        await using (var store = DestinationCheckpointStore.Open(address, s3.Options))
            Assert.Equal(stepAtNotice + 6, (await store.ListCompleteAsync())[0].Step);
    }
}
