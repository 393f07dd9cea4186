using Kit.Aws.Datasets;
using Kit.Aws.Launch;
using Kit.Aws.Tests.Support;
using Kit.Export.Bundles;
using Kit.Export.S3;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>
/// The run's dataset in s3rver: checked before it goes, stored once per content (a second upload sends only
/// what changed), fetched byte for byte onto an empty disk, and refused when incomplete or damaged.
/// </summary>
public sealed class DatasetStoreTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-dataset");

    public void Dispose() => temp.Dispose();

    private DatasetStore Store(string prefix) => DatasetStore.Open(s3.Address(prefix), s3.Options);

    [Fact]
    public async Task A_second_upload_sends_only_what_changed_and_a_new_disk_gets_every_byte()
    {
        var dataset = SampleDatasets.CopyTo(temp["local"], clips: 8);
        var files = DatasetFiles.Hashes(dataset).Count; // the hidden sample marker stays behind
        var contents = DatasetFiles.Hashes(dataset).Values.Distinct().Count(); // files with equal bytes share an object
        await using (var store = Store("runs/lj/dataset"))
        {
            var first = await store.UploadAsync(dataset);
            Assert.Equal(files, first.Index.Files.Count);
            Assert.Equal(contents, first.ObjectsSent);

            var again = await store.UploadAsync(dataset);
            Assert.Equal((0, 0L), (again.ObjectsSent, again.BytesSent));

            // One clip re-recorded, one list line added: only those two go up.
            var wav = Directory.GetFiles(Path.Combine(dataset, "wavs"))[0];
            var bytes = File.ReadAllBytes(wav);
            bytes[^1] ^= 0x01;
            File.WriteAllBytes(wav, bytes);
            var list = Directory.GetFiles(dataset, "*.txt").Concat(Directory.GetFiles(dataset, "*.csv")).First();
            File.AppendAllText(list, "\n");
            var changed = await store.UploadAsync(dataset);
            Assert.Equal(2, changed.ObjectsSent);
            Assert.Equal(new FileInfo(wav).Length + new FileInfo(list).Length, changed.BytesSent);
        }

        // A new VM: an empty disk, the store's address only.
        await using var fresh = Store("runs/lj/dataset");
        var fetched = await fresh.FetchAsync(temp["vm2/data"]);
        Assert.Equal(files, fetched.FilesFetched);
        Assert.Equal(DatasetFiles.Hashes(dataset), SyntheticCheckpoint.Hashes(temp["vm2/data"]));
        Assert.DoesNotContain(Directory.GetFiles(temp["vm2/data"], "*", SearchOption.AllDirectories), f => f.EndsWith(".partial", StringComparison.Ordinal));

        // A restarted VM already holds it: nothing is downloaded again.
        var refetched = await fresh.FetchAsync(temp["vm2/data"]);
        Assert.Equal(0, refetched.FilesFetched);
    }

    [Fact]
    public async Task Identical_files_are_stored_once_under_their_SHA256()
    {
        var dataset = Directory.CreateDirectory(temp["dup"]).FullName;
        File.WriteAllText(Path.Combine(dataset, "a.txt"), "same bytes");
        Directory.CreateDirectory(Path.Combine(dataset, "sub"));
        File.WriteAllText(Path.Combine(dataset, "sub", "b.txt"), "same bytes");
        File.WriteAllText(Path.Combine(dataset, ".DS_Store"), "not part of the dataset");
        await using var store = Store("runs/dup/dataset");
        var upload = await store.UploadAsync(dataset);

        Assert.Equal(["a.txt", "sub/b.txt"], upload.Index.Files.Select(f => f.Path));
        Assert.Equal(1, upload.ObjectsSent);
        await using var raw = new S3Destination(S3Address.Parse(s3.Address("runs/dup/dataset")), s3.Options, ExportState.InMemory());
        var objects = (await raw.ListAsync(CancellationToken.None)).Select(f => f.RelativePath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([DatasetIndex.BlobPath(upload.Index.Files[0].Sha256), DatasetIndex.FileName], objects);
    }

    [Fact]
    public async Task An_upload_cut_off_before_its_index_or_a_damaged_object_is_refused_by_name()
    {
        await using (var empty = Store("runs/none/dataset"))
        {
            var e = await Assert.ThrowsAsync<InvalidDataException>(() => empty.FetchAsync(temp["x"]));
            Assert.Contains("no index.json", e.Message);
        }

        var dataset = SampleDatasets.CopyTo(temp["local"], clips: 4);
        await using var store = Store("runs/bad/dataset");
        var upload = await store.UploadAsync(dataset);
        var victim = upload.Index.Files.First(f => f.Path.EndsWith(".wav", StringComparison.Ordinal));
        var bad = temp["bad.wav"];
        var bytes = File.ReadAllBytes(Path.Combine(dataset, victim.Path));
        bytes[100] ^= 0xFF;
        File.WriteAllBytes(bad, bytes);
        await using (var raw = new S3Destination(S3Address.Parse(s3.Address("runs/bad/dataset")), s3.Options, ExportState.InMemory()))
            await raw.UploadAsync(new BundleFile(DatasetIndex.BlobPath(victim.Sha256), bad, await FileHashes.ComputeAsync(bad)),
                new Progress<long>(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.FetchAsync(temp["vm2"]));
        Assert.Contains(victim.Path, error.Message);
        Assert.Contains("the index says", error.Message);
        Assert.False(File.Exists(Path.Combine(temp["vm2"], victim.Path)));
    }

    [Fact]
    public void The_dataset_check_refuses_a_list_that_names_a_missing_clip()
    {
        var dataset = SampleDatasets.CopyTo(temp["broken"], clips: 4);
        File.Delete(Directory.GetFiles(Path.Combine(dataset, "wavs"))[0]);
        var e = Assert.Throws<InvalidDataException>(() => DatasetStore.Check(dataset));
        Assert.StartsWith($"--dataset {dataset}: ", e.Message);
        Assert.Contains(" error(s) in the dataset check, first: ", e.Message);
        Assert.Contains("does not exist", e.Message);

        Assert.Throws<DirectoryNotFoundException>(() => DatasetStore.Check(temp["nowhere"]));
        Assert.DoesNotContain(DatasetStore.Check(SampleDatasets.Get(4)).Findings, f => f.Severity == Kit.Data.Checks.Severity.Error);
    }

    [Theory]
    [InlineData("/home/alice/kit/data/lj", "/home/alice/kit", "/opt/kit/data/lj")]
    [InlineData("/srv/datasets/lj", "/home/alice/kit", "/srv/datasets/lj")]
    [InlineData("/home/alice/kit-data/lj", "/home/alice/kit", "/home/alice/kit-data/lj")]
    [InlineData("/srv/datasets/lj", null, "/srv/datasets/lj")]
    public void The_dataset_keeps_its_place_relative_to_the_checkout_on_the_VM(string local, string? checkout, string onVm) =>
        Assert.Equal(onVm, RunAddresses.DatasetDirOnVm(local, checkout, "/opt/kit"));

    [Fact]
    public void The_kit_checkout_is_found_from_the_running_assembly() =>
        Assert.Equal(Path.GetFullPath(RepoPaths.Root).TrimEnd('/'), RunAddresses.KitCheckout());
}
