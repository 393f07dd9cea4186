using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.S3;
using Kit.Export.Tests.Fixtures;
using Kit.Export.Verification;
using Kit.TestSupport;

namespace Kit.Export.Tests.S3;

/// <summary>Exports to a real s3rver on loopback: single-part, multipart, resumed multipart, corruption, import.</summary>
public sealed class S3DestinationTests(S3rver server) : IClassFixture<S3rver>
{
    private const long FiveMiB = 5L << 20;

    private S3Destination Destination(string prefix, ExportState state, long partSize = FiveMiB, long threshold = FiveMiB) =>
        new(S3Address.Parse(server.Address(prefix)), server.Options with { PartSize = partSize, MultipartThreshold = threshold }, state);

    private AmazonS3Client RawClient() => new(new BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey),
        new AmazonS3Config { ServiceURL = server.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    [Fact]
    public async Task Export_then_import_round_trips_every_byte_and_keeps_secrets_out()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var lines = new List<string>();
        var log = new ActionLog(lines.Add);
        await using var dest = Destination("voices/round-trip", ExportState.Load(run.Path(RunFolder.ExportStateFile)));

        var result = await new Exporter(dest, ExportState.Load(run.Path(RunFolder.ExportStateFile)), log).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Equal(100, result.Manifest.Step);
        Assert.DoesNotContain(result.Manifest.Files, f => f.Path.Contains("training_state"));
        var (manifest, report) = await new Importer(dest, log).ImportAsync(tmp["imported"]);
        Assert.True(report.Ok, report.ToString());
        foreach (var entry in manifest.Files)
        {
            var source = result.Manifest.Files.Single(f => f.Path == entry.Path);
            Assert.Equal(source.Sha256, (await FileHashes.ComputeAsync(Path.Combine(tmp["imported"], entry.Path))).Sha256);
        }
        var everything = string.Join('\n', lines) + File.ReadAllText(Path.Combine(tmp["imported"], BundleManifest.FileName))
                         + File.ReadAllText(run.Path(RunFolder.ExportStateFile));
        Assert.DoesNotContain(S3rver.SecretKey, everything);
    }

    [Fact]
    public async Task Kit_export_reaches_a_server_named_only_by_AWS_ENDPOINT_URL_S3_addressing_it_path_style()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        // No --endpoint-url: the endpoint comes from the environment, as on a user's machine with MinIO set up. By
        // host name, since the SDK goes path-style on its own for an IP address; kit-tests.localhost, where a
        // virtual-host request would go, does not resolve here.
        var env = new Dictionary<string, string?>(server.KitEnvironment()) { ["AWS_ENDPOINT_URL_S3"] = $"http://localhost:{server.Port}" };
        var (code, stdout, stderr) = KitCli.Run(env, "export", run.Root, "--to", server.Address("voices/from-env"));
        Assert.True(code == 0, stdout + stderr);
        using var s3 = RawClient();
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3rver.Bucket, Prefix = "voices/from-env/" });
        Assert.Contains(listed.S3Objects, o => o.Key.EndsWith("/" + BundleManifest.FileName));
    }

    [Fact]
    public async Task Multipart_upload_is_byte_identical_and_verified_by_its_multipart_etag()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"], weightBytes: (int)(2 * FiveMiB + 123_457));
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = Destination("voices/multipart", state);
        int before = server.StoredParts;

        var result = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Equal(3, server.StoredParts - before);
        var listed = await dest.FindAsync($"{BundlePlanner.WeightsFolder}/model.safetensors", default);
        var local = result.Manifest.Files.Single(f => f.Path == $"{BundlePlanner.WeightsFolder}/model.safetensors");
        Assert.Equal((local.Sha256, FiveMiB, local.Size), (listed!.MetadataSha256, listed.PartSize!.Value, listed.Size));
        await AssertSameBytes(run.StepFolder(100) + "/model.safetensors", $"voices/multipart/{BundlePlanner.WeightsFolder}/model.safetensors");
    }

    [Fact]
    public async Task Interrupted_multipart_upload_resumes_with_only_the_missing_parts()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"], weightBytes: (int)(3 * FiveMiB + 77_777));
        var statePath = run.Path(RunFolder.ExportStateFile);
        int before = server.StoredParts;

        using (var cts = new CancellationTokenSource())
        {
            var state = ExportState.Load(statePath);
            await using var first = Destination("voices/resumed", state, threshold: 2 * FiveMiB);
            first.PartUploaded += n => { if (n == 2) cts.Cancel(); };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Exporter(first, state).ExportAsync(run, new BundleOptions(), null, cts.Token));
        }
        Assert.Equal(2, server.StoredParts - before);

        // A new process: everything it knows comes from the state file beside the run.
        var resumedState = ExportState.Load(statePath);
        Assert.True(resumedState.S3Uploads.Count == 1 && resumedState.S3Uploads.Single().Value.Parts.Count == 2, File.ReadAllText(statePath));
        await using var second = Destination("voices/resumed", resumedState, threshold: 2 * FiveMiB);
        var sent = new List<int>();
        second.PartUploaded += sent.Add;
        var result = await new Exporter(second, resumedState).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Equal([3, 4], sent);
        Assert.Equal(4, server.StoredParts - before);
        Assert.Empty(ExportState.Load(statePath).S3Uploads);
        await AssertSameBytes(run.StepFolder(100) + "/model.safetensors", $"voices/resumed/{BundlePlanner.WeightsFolder}/model.safetensors");
    }

    [Fact]
    public async Task A_rerun_skips_files_already_there_and_verification_names_a_corrupted_one()
    {
        using var tmp = new TempDir();
        var run = SyntheticRun.Create(tmp["run"]);
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = Destination("voices/corrupt", state);
        var first = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());
        Assert.True(first.Verification.Ok, first.Verification.ToString());

        var again = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());
        Assert.Equal(0, again.Uploaded);
        Assert.Equal(first.Manifest.Files.Count, again.Skipped);

        // Same size, same claimed sha256 metadata, different bytes: only the server's own ETag can tell.
        var victim = $"voices/corrupt/{BundlePlanner.WeightsFolder}/model.pth";
        var entry = first.Manifest.Files.Single(f => f.Path == $"{BundlePlanner.WeightsFolder}/model.pth");
        using var raw = RawClient();
        var put = new PutObjectRequest { BucketName = S3rver.Bucket, Key = victim, InputStream = new MemoryStream(new byte[entry.Size]), UseChunkEncoding = false };
        put.Metadata["x-amz-meta-sha256"] = entry.Sha256;
        await raw.PutObjectAsync(put);

        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), state);
        var report = await Verifier.VerifyAsync(dest, plan.Files, default);
        var problem = Assert.Single(report.Problems);
        Assert.Equal($"{BundlePlanner.WeightsFolder}/model.pth", problem.Path);
        Assert.Contains("ETag", problem.Detail);
    }

    private async Task AssertSameBytes(string local, string key)
    {
        using var raw = RawClient();
        using var got = await raw.GetObjectAsync(S3rver.Bucket, key);
        var ms = new MemoryStream();
        await got.ResponseStream.CopyToAsync(ms);
        Assert.True(File.ReadAllBytes(local).AsSpan().SequenceEqual(ms.ToArray()), $"{key} differs from {local}");
    }
}
