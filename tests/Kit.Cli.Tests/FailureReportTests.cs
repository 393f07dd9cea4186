using Kit.Training.Checkpoints;
using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>
/// Issue 13's faults 1 and 4 from the command line: every failure is one line naming what is wrong, with the
/// documented exit code, never a stack trace; `kit export` never ships a damaged checkpoint as verified.
/// </summary>
public sealed class FailureReportTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-failures");

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Stdout, string Stderr) Kit(IReadOnlyDictionary<string, string?>? env, params string[] args) =>
        KitCli.Run(env, args);

    private static void AssertOneLine(string stderr, string command)
    {
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\.\S+\(", stderr);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"kit {command}: ", line);
    }

    private string Run() => SavedRun.Create(_dir["run"]);

    [Fact]
    public void Export_of_a_run_whose_newest_model_is_truncated_exports_the_previous_step_and_names_both()
    {
        var run = Run();
        using (var fs = new FileStream(Path.Combine(run, "checkpoints", "step-000000020", "model.pth"), FileMode.Open))
            fs.SetLength(100_000);

        var export = Kit(null, "export", run, "--to", _dir["out"]);
        Assert.True(export.Code == 0, export.Stderr);
        Assert.Contains("exported run 'run' step 10", export.Stdout);
        Assert.Contains("skipping checkpoint step 20: ", export.Stderr);
        Assert.Contains("model.pth has 100000 bytes, the manifest says 200000", export.Stderr);

        var asked = Kit(null, "export", run, "--to", _dir["out2"], "--step", "20");
        Assert.Equal(1, asked.Code);
        AssertOneLine(asked.Stderr, "export");
        Assert.Contains("checkpoint step 20 does not match the trainer's manifest", asked.Stderr);
    }

    [Fact]
    public void Check_of_a_binary_file_or_a_single_wav_is_an_unreadable_dataset_exit_2()
    {
        var wav = Path.Combine(_dir.Path, "clip.wav");
        AudioTools.Speak(wav, "one clip");
        var bin = Path.Combine(_dir.Path, "blob.bin");
        File.WriteAllBytes(bin, [1, 2, 0, 3, 0, 0, 7]);
        foreach (var input in new[] { wav, bin })
        {
            var check = Kit(null, "check", input);
            Assert.True(check.Code == 2, $"{input}: exit {check.Code}: {check.Stderr}");
            Assert.Contains("a binary file, not a dataset list", check.Stderr);
            AssertOneLine(check.Stderr, "check");
        }
    }

    [Theory]
    [InlineData("--set", "TrainBS=many", "TrainBS = 'many': expected a whole number")]
    [InlineData("--gpu-memory", "lots", "--gpu-memory 'lots'")]
    public void Params_with_a_value_it_cannot_take_is_one_line_naming_it_exit_2(string option, string value, string named)
    {
        var run = Kit(null, "params", SampleDatasets.Get(4), option, value, "--out", _dir["params"]);
        Assert.True(run.Code == 2, $"exit {run.Code}: {run.Stderr}");
        Assert.True(run.Stderr.Contains(named), run.Stderr);
        // Before it, only the dataset check's progress (stderr is where progress goes); no stack trace.
        Assert.StartsWith("kit params: ", run.Stderr.Split('\n').Last(l => l.Length > 0));
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\.\S+\(", run.Stderr);
        Assert.False(Directory.Exists(_dir["params"]), "nothing is written for a refused value");
    }

    [Fact]
    public void A_malformed_service_account_key_is_one_line_naming_the_file_and_never_quoting_it()
    {
        var run = Run();
        var key = Path.Combine(_dir.Path, "key.json");
        File.WriteAllText(key, """{"type": "service_account", "client_email": "kit@example.iam.gserviceaccount.com", "private_key": "-----BEGIN PRIVATE KEY-----\nCAgICAgICAgICAgI\n-----END PRIVATE KEY-----\n", "private_key_id": "secret-id-123"}""");
        var env = new Dictionary<string, string?> { ["KIT_GDRIVE_BASE_URI"] = "http://127.0.0.1:9/" };

        var export = Kit(env, "export", run, "--to", "gdrive:MyDrive/voices/x", "--drive-service-account", key);

        Assert.Equal(1, export.Code);
        AssertOneLine(export.Stderr, "export");
        Assert.Contains($"{key}: not a usable Google service account key", export.Stderr);
        Assert.DoesNotContain("CAgICAgI", export.Stderr);
        Assert.DoesNotContain("secret-id-123", export.Stderr);
    }

    [Fact]
    public void An_unreachable_s3_store_is_one_line_with_exit_1()
    {
        var run = Run();
        var env = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test", ["AWS_REGION"] = "us-east-1", ["AWS_MAX_ATTEMPTS"] = "1",
        };
        var export = Kit(env, "export", run, "--to", "s3://bucket/voices/x", "--endpoint-url", "http://127.0.0.1:9");

        Assert.Equal(1, export.Code);
        AssertOneLine(export.Stderr.Split('\n').Where(l => l.StartsWith("kit export:")).Aggregate("", (a, l) => a + l + "\n"), "export");
        Assert.DoesNotContain("Unhandled exception", export.Stderr);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\.\S+\(", export.Stderr);
        Assert.Contains("could not reach", export.Stderr);
    }
}
