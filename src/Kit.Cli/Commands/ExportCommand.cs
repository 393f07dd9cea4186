using System.CommandLine;
using Kit.Display;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.Drive;
using Kit.Export.S3;
using Kit.Export;
using Spectre.Console;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit export RUN_DIR --to DEST`: the run's bundle to a folder, s3://bucket/prefix or gdrive:MyDrive/folder,
/// resumable and verified. Exit 0 verified, 1 the export failed, 2 uploaded but verification found problems.
/// </summary>
public sealed class ExportCommand : IKitCommand
{
    public Command Create()
    {
        var run = new Argument<DirectoryInfo>("run-dir") { Description = "The run folder the trainer wrote (run.yml, checkpoints/, ...)" };
        var to = new Option<string>("--to") { Description = "Destination: a folder, s3://bucket/prefix or gdrive:MyDrive/voices/NAME", Required = true };
        var step = new Option<long?>("--step") { Description = "Export this step's checkpoint instead of the best by validation" };
        var withState = new Option<bool>("--with-training-state") { Description = "Also export the optimizer/scheduler state (large; only to keep training elsewhere)" };
        var samples = new Option<int>("--samples") { Description = "Audio samples to include", DefaultValueFactory = _ => 4 };
        var connection = new ConnectionOptions();
        var command = new Command("export", "Export a trained voice (weights, config, metrics, plots, samples, manifest.json) and verify it at the destination.")
        {
            run, to, step, withState, samples,
        };
        connection.AddTo(command);
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            // Failures reach Program's FailureReport: one line, exit 1 (or 2 for an input that cannot be read).
            {
                var runFolder = new RunFolder(pr.GetValue(run)!.FullName);
                var state = ExportState.Load(runFolder.Path(RunFolder.ExportStateFile));
                await using var destination = await DestinationFactory.OpenAsync(pr.GetValue(to)!, state, connection.Settings(pr), ct);
                var result = await ConsoleProgress.Transfer(progress =>
                    new Exporter(destination, state, ExportLog.Stderr).ExportAsync(runFolder, new BundleOptions
                    {
                        Step = pr.GetValue(step), WithTrainingState = pr.GetValue(withState), MaxSamples = pr.GetValue(samples),
                    }, progress, ct));
                Console.Out.WriteLine($"exported run '{result.Manifest.Run}' step {result.Manifest.Step} to {destination.Description}: " +
                                      $"{result.Uploaded} uploaded ({ByteSize.Format(result.BytesUploaded)}), {result.Skipped} already there");
                Console.Out.WriteLine(result.Verification.ToString());
                return result.Verification.Ok ? 0 : 2;
            }
        });
        return command;
    }
}

/// <summary>The exporter's and importer's log lines, on stderr (stdout is the command's result).</summary>
internal static class ExportLog
{
    public static readonly IExportLog Stderr = new ActionLog(line => Console.Error.WriteLine(line));
}

/// <summary>The options that say how to reach S3 and Drive, shared by `kit export` and `kit import`.</summary>
internal sealed class ConnectionOptions
{
    private readonly Option<string?> _region = new("--region") { Description = "AWS region of the bucket (default: AWS_REGION / the profile's)" };
    private readonly Option<string?> _endpoint = new("--endpoint-url") { Description = "S3-compatible endpoint (MinIO, R2, Ceph), addressed path-style; default AWS_ENDPOINT_URL_S3 or AWS" };
    private readonly Option<int> _partMb = new("--part-size-mb") { Description = "S3 multipart part size in MiB (at least 5)", DefaultValueFactory = _ => 64 };
    private readonly Option<FileInfo?> _clientSecrets = new("--drive-client-secrets") { Description = "Google OAuth client JSON (default: KIT_GDRIVE_CLIENT_SECRETS)" };
    private readonly Option<FileInfo?> _serviceAccount = new("--drive-service-account") { Description = "Google service account key JSON (default: KIT_GDRIVE_SERVICE_ACCOUNT)" };
    private readonly Option<bool> _headless = new("--headless") { Description = "Sign in to Google with a code typed on another device (no browser here)" };
    private readonly Option<int> _chunkMb = new("--drive-chunk-mb") { Description = "Drive upload chunk in MiB", DefaultValueFactory = _ => 8 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _region, _endpoint, _partMb, _clientSecrets, _serviceAccount, _headless, _chunkMb })
            command.Options.Add(option);
    }

    public DestinationSettings Settings(ParseResult pr)
    {
        int partMb = pr.GetValue(_partMb), chunkMb = pr.GetValue(_chunkMb);
        if (partMb < 5) throw new ArgumentException("--part-size-mb must be at least 5 (S3's smallest part)");
        if (chunkMb < 1) throw new ArgumentException("--drive-chunk-mb must be at least 1");
        // The environment as a notebook reads it, then what the command line gives on top.
        var settings = DestinationSettings.FromEnvironment(line => Console.Error.WriteLine(line),
            pr.GetValue(_clientSecrets)?.FullName, pr.GetValue(_serviceAccount)?.FullName, pr.GetValue(_headless));
        return settings with
        {
            S3 = settings.S3.AtEndpoint(pr.GetValue(_endpoint) ?? settings.S3.EndpointUrl) with
            {
                Region = pr.GetValue(_region) ?? settings.S3.Region,
                PartSize = (long)partMb << 20,
                MultipartThreshold = (long)partMb << 20,
            },
            DriveChunkSize = chunkMb << 20,
        };
    }
}
