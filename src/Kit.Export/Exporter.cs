using Kit.Display;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.Verification;
using Kit.Training.Checkpoints;

namespace Kit.Export;

/// <summary>What an export did.</summary>
public sealed record ExportResult(BundleManifest Manifest, int Uploaded, int Skipped, long BytesUploaded, VerifyReport Verification);

/// <summary>
/// Exports a run's bundle: plan and hash, check free space, upload what is missing (resuming partial
/// uploads), write manifest.json last, then list the destination and verify every size and checksum.
/// </summary>
public sealed class Exporter(IExportDestination destination, ExportState state, IExportLog? log = null)
{
    public async Task<ExportResult> ExportAsync(RunFolder run, BundleOptions options,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        var plan = await BundlePlanner.PlanAsync(run, options, state, progress, ct, log);
        Log($"bundle of run '{plan.Run}', step {plan.Step}{(plan.ValLoss is { } v ? $" (val_loss {v:G5})" : "")}: " +
            $"{plan.Files.Count} files, {ByteSize.Format(plan.TotalBytes)}" + (plan.WithTrainingState ? ", with training state" : ""));

        var present = (await destination.ListAsync(ct)).ToDictionary(f => f.RelativePath, StringComparer.Ordinal);
        var todo = new List<BundleFile>();
        int skipped = 0;
        foreach (var file in plan.Files)
        {
            if (present.TryGetValue(file.RelativePath, out var remote) && await Checksums.MismatchAsync(file, remote, ct) is null)
            {
                Log($"skip {file.RelativePath}: already at the destination with the same checksum");
                skipped++;
            }
            else todo.Add(file);
        }

        long needed = todo.Sum(f => f.Size);
        if (await destination.FreeBytesAsync(ct) is { } free && free < needed)
            throw new InsufficientSpaceException(
                $"{destination.Description} has {ByteSize.Format(free)} free, but the export needs {ByteSize.Format(needed)} more " +
                $"({todo.Count} files; the whole bundle is {ByteSize.Format(plan.TotalBytes)}). Free some space" +
                (plan.WithTrainingState ? " or export without --with-training-state" : "") + " and run the export again.", needed, free);

        await destination.EnsureFolderAsync(ct);
        var uploading = new ProgressTally("uploading", needed, progress);
        foreach (var file in todo)
        {
            uploading.File = file.RelativePath;
            Log($"upload {file.RelativePath} ({ByteSize.Format(file.Size)})");
            await destination.UploadAsync(file, uploading, ct);
        }

        var manifest = plan.Manifest(DateTimeOffset.UtcNow);
        var manifestFile = await WriteManifestAsync(manifest, ct);
        try
        {
            await destination.UploadAsync(manifestFile, new Progress<long>(), ct);
            Log($"verifying {plan.Files.Count} files and {BundleManifest.FileName} at {destination.Description}");
            // The report is the caller's to show (the command prints it, the notebook displays it): logged here too, it appeared twice.
            var report = await Verifier.VerifyAsync(destination, plan.Files, manifestFile, ct);
            return new ExportResult(manifest, todo.Count, skipped, needed, report);
        }
        finally { File.Delete(manifestFile.SourcePath); }
    }

    private static async Task<BundleFile> WriteManifestAsync(BundleManifest manifest, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kit-manifest-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(path, manifest.ToJsonBytes(), ct);
        return new BundleFile(BundleManifest.FileName, path, await FileHashes.ComputeAsync(path, null, ct));
    }

    private void Log(string line) => log?.Info(line);
}
