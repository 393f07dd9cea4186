using Google.Apis.Auth.OAuth2;
using Kit.Export.Bundles;
using Kit.Export.Drive;
using Kit.Export.Tests.Fixtures;
using Kit.Export.Verification;
using Kit.TestSupport;
using Kit.Training.Checkpoints;

namespace Kit.Export.Tests.Drive;

/// <summary>Exports to a loopback server that speaks Drive v3, with dropped connections and restarts injected.</summary>
public sealed class DriveDestinationTests : IDisposable
{
    private const string Token = "ya29.kit-test-SECRET-7f3a9c";
    private const int Chunk = 256 * 1024;
    private const string Folder = "MyDrive/voices/my-voice";

    private readonly FakeDriveServer _server = new(Token);
    private readonly TempDir _tmp = new();

    public void Dispose()
    {
        _server.Dispose();
        _tmp.Dispose();
    }

    private DriveDestination Destination(ExportState state) =>
        new(new DriveClient(GoogleCredential.FromAccessToken(Token), _server.BaseUri), Folder, state, Chunk);

    private RunFolder Run(int weightBytes = 300_000) => SyntheticRun.Create(_tmp["run"], weightBytes);

    [Fact]
    public async Task Export_creates_the_folders_uploads_in_chunks_verifies_and_imports_back()
    {
        var run = Run(weightBytes: 3 * Chunk + 1234);
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = Destination(state);

        var result = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        var weights = _server.At("voices/my-voice/weights/model.safetensors");
        Assert.NotNull(weights);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.StepFolder(100), "model.safetensors")), weights.Content);
        Assert.Equal(result.Manifest.Files.Sum(f => f.Size) + _server.At("voices/my-voice/manifest.json")!.Content.Length, _server.BytesReceived);
        Assert.Empty(ExportState.Load(run.Path(RunFolder.ExportStateFile)).DriveSessions);

        await using var source = Destination(ExportState.InMemory());
        var (manifest, report) = await new Importer(source).ImportAsync(_tmp["imported"]);
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.StepFolder(100), "model.pth")), File.ReadAllBytes(Path.Combine(_tmp["imported"], "weights", "model.pth")));
        Assert.Equal(result.Manifest.Files.Count, manifest.Files.Count);
    }

    [Fact]
    public async Task A_connection_dropped_mid_chunk_is_resumed_without_resending_more_than_that_chunk()
    {
        var run = Run(weightBytes: 6 * Chunk + 999);
        var file = Path.Combine(run.StepFolder(100), "model.safetensors");
        var state = ExportState.InMemory();
        await using var dest = Destination(state);
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), state);
        var weights = plan.Files.Single(f => f.RelativePath == "weights/model.safetensors");
        _server.DropConnection = (Chunk: 3, AfterBytes: Chunk / 2);

        await dest.EnsureFolderAsync(default);
        await dest.UploadAsync(weights, new Progress<long>(), default);

        Assert.Null(_server.DropConnection); // the fault fired
        Assert.True(_server.BytesReceived > weights.Size && _server.BytesReceived <= weights.Size + Chunk,
            $"{_server.BytesReceived} bytes received for a {weights.Size}-byte file:\n{string.Join('\n', _server.Requests)}");
        var stored = _server.At("voices/my-voice/weights/model.safetensors")!;
        Assert.Equal(weights.Hashes.Md5, (await FileHashes.ComputeAsync(new MemoryStream(stored.Content))).Md5);
        Assert.Equal(File.ReadAllBytes(file), stored.Content);
    }

    [Fact]
    public async Task A_restarted_process_resumes_from_the_saved_session_uri()
    {
        var run = Run(weightBytes: 6 * Chunk + 4321);
        var statePath = run.Path(RunFolder.ExportStateFile);
        using (var cts = new CancellationTokenSource())
        {
            var state = ExportState.Load(statePath);
            await using var first = Destination(state);
            // The "crash": the process stops right after the server stored the 2nd chunk of the big file.
            _server.AfterChunkStored = (name, held) => { if (name == "model.safetensors" && held == 2 * Chunk) cts.Cancel(); };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Exporter(first, state).ExportAsync(run, new BundleOptions(), null, cts.Token));
        }
        _server.AfterChunkStored = null;
        var saved = ExportState.Load(statePath);
        var session = Assert.Single(saved.DriveSessions);
        Assert.EndsWith("weights/model.safetensors", session.Key);
        long before = _server.BytesReceived;
        int sessionsBefore = _server.SessionsStarted;

        // A new process: new client, new destination, state read back from the run folder.
        await using var second = Destination(ExportState.Load(statePath));
        var result = await new Exporter(second, ExportState.Load(statePath)).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        var weights = result.Manifest.Files.Single(f => f.Path == "weights/model.safetensors");
        // Files upload in manifest order; those after the interrupted one had not started.
        var after = result.Manifest.Files.SkipWhile(f => f.Path != "weights/model.safetensors").Skip(1).ToList();
        var later = after.Sum(f => f.Size);
        var manifestBytes = _server.At("voices/my-voice/manifest.json")!.Content.Length;
        // Only the four chunks the server lacked, then the files after it and the manifest: nothing twice.
        Assert.Equal(weights.Size - 2 * Chunk + later + manifestBytes, _server.BytesReceived - before);
        Assert.Equal(sessionsBefore + after.Count + 1, _server.SessionsStarted); // no new session for the resumed file
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.StepFolder(100), "model.safetensors")), _server.At("voices/my-voice/weights/model.safetensors")!.Content);
    }

    [Fact]
    public async Task Not_enough_quota_stops_before_uploading_with_a_clear_message()
    {
        var run = Run();
        _server.QuotaLimit = 10L << 30;
        _server.QuotaUsageBesidesFiles = (10L << 30) - 100_000;
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = Destination(state);

        var e = await Assert.ThrowsAsync<InsufficientSpaceException>(() => new Exporter(dest, state).ExportAsync(run, new BundleOptions()));

        Assert.Contains("gdrive:MyDrive/voices/my-voice has 97.7 KiB free", e.Message);
        Assert.Contains("needs", e.Message);
        Assert.Equal(0, _server.SessionsStarted);
        Assert.DoesNotContain(Token, e.ToString());
    }

    [Fact]
    public async Task A_rerun_skips_identical_files_and_verification_names_a_corrupted_one()
    {
        var run = Run();
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = Destination(state);
        var first = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());
        int sessions = _server.SessionsStarted;

        var again = await new Exporter(dest, state).ExportAsync(run, new BundleOptions());

        Assert.Equal(first.Manifest.Files.Count, again.Skipped);
        Assert.Equal(sessions + 1, _server.SessionsStarted); // only the new manifest.json
        Assert.Single(_server.Files, f => f.Name == "manifest.json"); // replaced, not duplicated

        _server.Corrupt("voices/my-voice/samples/step-000000100-1.wav");
        var plan = await BundlePlanner.PlanAsync(run, new BundleOptions(), state);
        var report = await Verifier.VerifyAsync(dest, plan.Files, default);
        var problem = Assert.Single(report.Problems);
        Assert.Equal("samples/step-000000100-1.wav", problem.Path);
        Assert.Contains("MD5", problem.Detail);
    }

    [Fact]
    public async Task No_token_reaches_the_manifest_the_log_the_state_or_an_error()
    {
        var run = Run();
        var lines = new List<string>();
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using (var dest = Destination(state))
            await new Exporter(dest, state, new ActionLog(lines.Add)).ExportAsync(run, new BundleOptions());
        await using var wrong = new DriveDestination(new DriveClient(GoogleCredential.FromAccessToken(Token + "-wrong"), _server.BaseUri), Folder, ExportState.InMemory(), Chunk);
        var refused = await Assert.ThrowsAsync<DriveApiException>(() => wrong.ListAsync(default));

        var everything = string.Join('\n', lines) + Convert.ToBase64String(_server.At("voices/my-voice/manifest.json")!.Content)
            + System.Text.Encoding.UTF8.GetString(_server.At("voices/my-voice/manifest.json")!.Content)
            + File.ReadAllText(run.Path(RunFolder.ExportStateFile)) + refused;
        Assert.Contains("401", refused.Message);
        Assert.DoesNotContain("kit-test-SECRET", everything);
    }

    [Fact]
    public async Task A_service_account_key_signs_in_through_the_token_endpoint_and_its_key_never_leaks()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        _server.ServiceAccountKey = rsa;
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var keyFile = _tmp["sa.json"];
        File.WriteAllText(keyFile, new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "service_account", ["project_id"] = "kit-test", ["private_key_id"] = "k1", ["private_key"] = pem,
            ["client_email"] = "kit-export@kit-test.iam.gserviceaccount.com", ["client_id"] = "1",
            ["token_uri"] = new Uri(_server.BaseUri, "token").AbsoluteUri,
        }.ToJsonString());
        var credential = await DriveAuth.AuthorizeAsync(new DriveAuthOptions { ServiceAccountFile = keyFile }, _ => { }, default);
        var run = Run();
        var lines = new List<string>();
        var state = ExportState.Load(run.Path(RunFolder.ExportStateFile));
        await using var dest = new DriveDestination(new DriveClient(credential, _server.BaseUri), Folder, state, Chunk);

        var result = await new Exporter(dest, state, new ActionLog(lines.Add)).ExportAsync(run, new BundleOptions());

        Assert.True(result.Verification.Ok, result.Verification.ToString());
        Assert.Equal(DriveAuth.Scope, _server.GrantedScope);
        var keyBody = pem.Split('\n')[2];
        var everything = string.Join('\n', lines) + System.Text.Encoding.UTF8.GetString(_server.At("voices/my-voice/manifest.json")!.Content)
                         + File.ReadAllText(run.Path(RunFolder.ExportStateFile));
        Assert.DoesNotContain(keyBody, everything);
        Assert.DoesNotContain(Token, everything);
    }

    [Fact]
    public async Task Missing_drive_credentials_are_explained()
    {
        var none = await Assert.ThrowsAsync<InvalidOperationException>(() => DriveAuth.AuthorizeAsync(new DriveAuthOptions(), _ => { }, default));
        Assert.Contains("--drive-client-secrets", none.Message);
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => DriveAuth.AuthorizeAsync(new DriveAuthOptions { ServiceAccountFile = _tmp["nope.json"] }, _ => { }, default));
        Assert.Contains("nope.json", missing.Message);
    }
}
