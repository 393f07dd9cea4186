using Kit.Aws.Checkpoints;
using Kit.Aws.Tests.Support;
using Kit.Export.Bundles;
using Kit.Export.S3;
using Kit.TestSupport;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Tests;

/// <summary>
/// Checkpoint sync against a real S3-compatible server (s3rver) on loopback: the trainer's step folders and
/// manifest.json stored as saved, the manifest last, every file checked against it on the way back.
/// </summary>
public sealed class CheckpointStoreTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-ckpt");

    public void Dispose() => temp.Dispose();

    private DestinationCheckpointStore Store(string prefix) => DestinationCheckpointStore.Open(s3.Address(prefix), s3.Options);

    [Fact]
    public async Task A_new_store_instance_resumes_the_newest_checkpoint_byte_for_byte()
    {
        var first = SyntheticCheckpoint.Write(temp["vm1"], 1000);
        var second = SyntheticCheckpoint.Write(temp["vm1"], 2000, weightBytes: 7_000_000); // multipart: over the 6 MiB threshold
        await using (var store = Store("runs/alice"))
        {
            await store.UploadAsync(1000, first);
            var stored = await store.UploadAsync(2000, second);
            Assert.Equal(3, stored.Files.Count);
            Assert.Equal(CheckpointFiles.StepFolderName(2000), stored.Folder);
        }

        // "A new VM": another store instance, another local folder.
        await using var resumed = Store("runs/alice");
        var local = await resumed.DownloadLatestAsync(temp["vm2"]);

        Assert.NotNull(local);
        Assert.Equal(2000, local.Step);
        Assert.Equal(Path.Combine(temp["vm2"], CheckpointFiles.StepFolderName(2000)), local.Directory); // the trainer's own name
        Assert.Equal(SyntheticCheckpoint.Hashes(second), SyntheticCheckpoint.Hashes(local.Directory)); // manifest.json too
        Assert.NotNull(CheckpointManifest.Verify(local.Directory, out var problem)); // the trainer resumes from it as is
        Assert.Null(problem);
        Assert.Equal([2000L, 1000L], (await resumed.ListCompleteAsync()).Select(c => c.Step));
    }

    [Fact]
    public async Task An_upload_cut_off_before_its_marker_is_never_picked()
    {
        var done = SyntheticCheckpoint.Write(temp["vm1"], 500);
        var cut = SyntheticCheckpoint.Write(temp["vm1"], 600);
        await using (var store = Store("runs/bob"))
            await store.UploadAsync(500, done);

        // Step 600's files reach S3 but the VM is gone before the manifest: upload them without one.
        await using (var raw = new S3Destination(S3Address.Parse(s3.Address("runs/bob")), s3.Options, ExportState.InMemory()))
        {
            foreach (var file in Directory.EnumerateFiles(cut).Where(f => Path.GetFileName(f) != CheckpointManifest.FileName))
            {
                await raw.UploadAsync(new BundleFile($"{CheckpointFiles.StepFolderName(600)}/{Path.GetFileName(file)}", file, await FileHashes.ComputeAsync(file)),
                    new Progress<long>(), CancellationToken.None);
            }
            Assert.Contains((await raw.ListAsync(CancellationToken.None)), f => f.RelativePath.StartsWith("step-000000600/", StringComparison.Ordinal));
        }

        await using var resumed = Store("runs/bob");
        var local = await resumed.DownloadLatestAsync(temp["vm2"]);
        Assert.Equal(500, local!.Step);
        Assert.Equal([500L], (await resumed.ListCompleteAsync()).Select(c => c.Step));
    }

    [Fact]
    public async Task An_empty_store_resumes_nothing_and_runs_do_not_see_each_other()
    {
        await using (var a = Store("runs/a"))
            await a.UploadAsync(7, SyntheticCheckpoint.Write(temp["x"], 7));
        await using var b = Store("runs/b");
        Assert.Null(await b.DownloadLatestAsync(temp["y"]));
    }

    [Fact]
    public async Task A_corrupted_object_falls_back_to_the_previous_checkpoint()
    {
        var older = SyntheticCheckpoint.Write(temp["vm1"], 10);
        var newer = SyntheticCheckpoint.Write(temp["vm1"], 20);
        await using (var store = Store("runs/c"))
        {
            await store.UploadAsync(10, older);
            await store.UploadAsync(20, newer);
        }
        // Same size, different bytes: the listing still looks complete, the hash does not match.
        var bad = temp["bad.pth"];
        var bytes = File.ReadAllBytes(Path.Combine(newer, "model.pth"));
        bytes[123] ^= 0xFF;
        File.WriteAllBytes(bad, bytes);
        await using (var raw = new S3Destination(S3Address.Parse(s3.Address("runs/c")), s3.Options, ExportState.InMemory()))
            await raw.UploadAsync(new BundleFile("step-000000020/model.pth", bad, await FileHashes.ComputeAsync(bad)), new Progress<long>(), CancellationToken.None);

        await using var resumed = Store("runs/c");
        var local = await resumed.DownloadLatestAsync(temp["vm2"]);
        Assert.Equal(10, local!.Step);
        Assert.False(File.Exists(Path.Combine(temp["vm2"], "step-000000020", "model.pth")));
        Assert.False(File.Exists(Path.Combine(temp["vm2"], "step-000000020", CheckpointManifest.FileName))); // never a finished checkpoint
        Assert.Equal(Path.Combine(temp["vm2"], "step-000000010"), local.Directory);
    }

    [Fact]
    public async Task A_named_checkpoint_downloads_verified_and_an_unknown_name_gives_null()
    {
        // What `kit train --spectrogram-model-checkpoint s3://.../RUN/FOLDER` fetches: that checkpoint, not the newest.
        var first = SyntheticCheckpoint.Write(temp["vm1"], 1000);
        var second = SyntheticCheckpoint.Write(temp["vm1"], 2000);
        await using var store = Store("runs/named");
        var stored = await store.UploadAsync(1000, first);
        await store.UploadAsync(2000, second);

        var local = await store.DownloadAsync(stored.Folder, temp["signal"]);
        Assert.NotNull(local);
        Assert.Equal(1000, local.Step);
        Assert.Equal(SyntheticCheckpoint.Hashes(first), SyntheticCheckpoint.Hashes(local.Directory));
        Assert.Null(await store.DownloadAsync("no-such-folder", temp["signal"]));
    }

    [Fact]
    public async Task The_upload_trusts_the_trainers_hashes_and_the_download_catches_a_file_changed_after_the_save()
    {
        var good = SyntheticCheckpoint.Write(temp["vm1"], 30);
        var damaged = SyntheticCheckpoint.Write(temp["vm1"], 40);
        var weights = Path.Combine(damaged, CheckpointFiles.InferenceWeights);
        var bytes = File.ReadAllBytes(weights);
        bytes[7] ^= 0x01; // a bit flipped on the VM's disk after the trainer hashed it: same size
        File.WriteAllBytes(weights, bytes);
        await using (var store = Store("runs/trust"))
        {
            await store.UploadAsync(30, good);
            var stored = await store.UploadAsync(40, damaged); // not hashed again: the upload goes through
            Assert.Equal(40, stored.Step);
        }

        await using var resumed = Store("runs/trust");
        Assert.Equal([40L, 30L], (await resumed.ListCompleteAsync()).Select(c => c.Step));
        var local = await resumed.DownloadLatestAsync(temp["vm2"]);
        Assert.Equal(30, local!.Step);
    }

    [Fact]
    public async Task A_folder_without_the_trainers_manifest_is_refused_by_name()
    {
        var folder = Directory.CreateDirectory(temp["not-a-checkpoint"]).FullName;
        File.WriteAllText(Path.Combine(folder, "model.pth"), "x");
        await using var store = Store("runs/refused");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => store.UploadAsync(5, folder));
        Assert.Contains(folder, e.Message);
        Assert.Contains(CheckpointManifest.FileName, e.Message);
        Assert.Empty(await store.ListCompleteAsync());
    }

    [Fact]
    public async Task A_VM_restarted_on_its_own_disk_keeps_the_checkpoint_it_holds_and_a_partial_one_is_replaced()
    {
        var saved = SyntheticCheckpoint.Write(temp["vm"], 70);
        await using var store = Store("runs/restart");
        await store.UploadAsync(70, saved);
        var weights = Path.Combine(saved, CheckpointFiles.InferenceWeights);
        var before = File.GetLastWriteTimeUtc(weights);

        var local = await store.DownloadLatestAsync(Path.GetDirectoryName(saved)!);
        Assert.Equal(saved, local!.Directory);
        Assert.Equal(before, File.GetLastWriteTimeUtc(weights)); // not downloaded again

        // The same folder cut short (a file missing): downloaded again, whole.
        File.Delete(Path.Combine(saved, CheckpointFiles.TrainingState));
        local = await store.DownloadLatestAsync(Path.GetDirectoryName(saved)!);
        Assert.NotNull(CheckpointManifest.Verify(local!.Directory, out var problem));
        Assert.Null(problem);
    }
}
