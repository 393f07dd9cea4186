using System.Security.Cryptography;
using Kit.Display;
using Kit.Export.Bundles;
using Kit.Export.Destinations;
using Kit.Export.Verification;
using Kit.Training.Checkpoints;

namespace Kit.Export;

/// <summary>
/// Downloads a bundle from any destination into a local folder and checks every file against the
/// bundle's manifest while it streams (SHA-256 and size), so inference can run on another machine.
/// Files are written as NAME.partial and renamed only when they match.
/// </summary>
public sealed class Importer(IExportDestination source, IExportLog? log = null)
{
    public async Task<(BundleManifest Manifest, VerifyReport Report)> ImportAsync(string targetDir,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        var root = Path.GetFullPath(targetDir);
        Directory.CreateDirectory(root);
        var manifestBytes = new MemoryStream();
        await source.DownloadAsync(BundleManifest.FileName, manifestBytes, new Progress<long>(), ct);
        var manifest = BundleManifest.Parse(manifestBytes.ToArray(), $"{source.Description}/{BundleManifest.FileName}");
        log?.Info($"bundle of run '{manifest.Run}', step {manifest.Step}: {manifest.Files.Count} files, {ByteSize.Format(manifest.TotalBytes)}");

        var tally = new ProgressTally("downloading", manifest.TotalBytes, progress);
        var problems = CheckpointProblems(manifest).ToList();
        if (manifest.Checkpoint is null)
            log?.Info("this bundle carries no trainer's checkpoint manifest (an older kit exported it): its weights are checked against the bundle's manifest only");
        foreach (var entry in manifest.Files)
        {
            tally.File = entry.Path;
            var target = Path.GetFullPath(Path.Combine(root, entry.Path));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                problems.Add(new VerifyProblem(entry.Path, "path leaves the bundle folder; not downloaded"));
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var partial = target + ".partial";
            string? why;
            try
            {
                await using (var output = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await using (var hashing = new HashingStream(output))
                {
                    await source.DownloadAsync(entry.Path, hashing, tally, ct);
                    why = hashing.Length != entry.Size ? $"downloaded {hashing.Length:N0} bytes, manifest says {entry.Size:N0}"
                        : hashing.Sha256() is var sha && !string.Equals(sha, entry.Sha256, StringComparison.OrdinalIgnoreCase)
                            ? $"SHA-256 {sha}, manifest says {entry.Sha256}" : null;
                }
            }
            catch (FileNotFoundException) { why = "missing at the source"; }
            if (why is null) File.Move(partial, target, overwrite: true);
            else
            {
                File.Delete(partial);
                problems.Add(new VerifyProblem(entry.Path, why));
            }
        }
        await File.WriteAllBytesAsync(Path.Combine(root, BundleManifest.FileName), manifestBytes.ToArray(), ct);
        // Counted as the export counts: the manifest's files. The report is the caller's to show (logged here too, it appeared twice).
        var report = new VerifyReport(source.Description, manifest.Files.Count, manifest.TotalBytes, problems);
        return (manifest, report);
    }

    /// <summary>
    /// The bundle's checkpoint files against the trainer's manifest of that step: the bundle's own manifest was
    /// made from the files the export read, so only the trainer's (written at save time) shows that they were
    /// what the trainer saved.
    /// </summary>
    private static IEnumerable<VerifyProblem> CheckpointProblems(BundleManifest manifest)
    {
        if (manifest.Checkpoint is not { } checkpoint) yield break;
        var trainer = checkpoint.Files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var entry in manifest.Files)
        {
            var slash = entry.Path.IndexOf('/');
            if (slash < 0 || entry.Path[..slash] is not (BundlePlanner.WeightsFolder or BundlePlanner.TrainingStateFolder)) continue;
            var name = entry.Path[(slash + 1)..];
            if (!trainer.TryGetValue(name, out var saved))
                yield return new VerifyProblem(entry.Path, $"not in the trainer's checkpoint manifest of step {checkpoint.Step}");
            else if (saved.Bytes != entry.Size)
                yield return new VerifyProblem(entry.Path, $"{entry.Size:N0} bytes, the trainer's checkpoint manifest of step {checkpoint.Step} says {saved.Bytes:N0} (the export read a damaged file)");
            else if (!string.Equals(saved.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                yield return new VerifyProblem(entry.Path, $"SHA-256 {entry.Sha256}, the trainer's checkpoint manifest of step {checkpoint.Step} says {saved.Sha256} (the export read a damaged file)");
        }
    }

    /// <summary>A write-through stream that hashes what passes.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public string Sha256() => FileHashes.Hex(_sha.GetHashAndReset());
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _sha.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            _sha.AppendData(buffer.Span);
            _length += buffer.Length;
            await inner.WriteAsync(buffer, ct);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _sha.Dispose();
            base.Dispose(disposing);
        }
    }
}
