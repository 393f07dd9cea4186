using System.Buffers;
using Kit.Export.Bundles;
using Kit.Training.Checkpoints;

namespace Kit.Export.Destinations;

/// <summary>
/// A folder on this machine (or a mounted drive). Files are written to NAME.partial and renamed when
/// complete; a re-run appends to a partial file instead of starting over. Verification re-hashes the files.
/// </summary>
public sealed class LocalFolderDestination(string root) : IExportDestination
{
    private const string PartialSuffix = ".partial";

    public string Root { get; } = Path.GetFullPath(root);

    public string Description => Root;

    public Task EnsureFolderAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Root);
        return Task.CompletedTask;
    }

    public Task<long?> FreeBytesAsync(CancellationToken ct)
    {
        var existing = Root;
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        try { return Task.FromResult<long?>(new DriveInfo(existing).AvailableFreeSpace); }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return Task.FromResult<long?>(null); }
    }

    public async Task<IReadOnlyList<RemoteFile>> ListAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Root)) return [];
        var list = new List<RemoteFile>();
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (file.EndsWith(PartialSuffix, StringComparison.Ordinal)) continue;
            list.Add(await Describe(file, ct));
        }
        return list;
    }

    public async Task<RemoteFile?> FindAsync(string relativePath, CancellationToken ct)
    {
        var file = Full(relativePath);
        return File.Exists(file) ? await Describe(file, ct) : null;
    }

    public async Task UploadAsync(BundleFile file, IProgress<long> progress, CancellationToken ct)
    {
        var target = Full(file.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + PartialSuffix;
        await using (var output = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            // Resume: keep what an interrupted copy wrote (verification re-hashes the finished file).
            long start = output.Length <= file.Size ? output.Length : 0;
            output.SetLength(start);
            output.Seek(start, SeekOrigin.Begin);
            if (start > 0) progress.Report(start);
            await using var input = file.OpenRead();
            input.Seek(start, SeekOrigin.Begin);
            await CopyAsync(input, output, progress, ct);
            await output.FlushAsync(ct);
            output.Flush(flushToDisk: true);
        }
        File.Move(partial, target, overwrite: true);
    }

    public async Task DownloadAsync(string relativePath, Stream target, IProgress<long> progress, CancellationToken ct)
    {
        var file = Full(relativePath);
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: not in the bundle folder");
        await using var input = FileHashes.OpenRead(file);
        await CopyAsync(input, target, progress, ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string Full(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"bundle path '{relativePath}' leaves the destination folder");
        return full;
    }

    private async Task<RemoteFile> Describe(string file, CancellationToken ct)
    {
        var (size, sha256) = await FileSha256.OfAsync(file, ct);
        var relative = Path.GetRelativePath(Root, file).Replace(Path.DirectorySeparatorChar, '/');
        return new RemoteFile(relative, size, sha256);
    }

    internal static async Task CopyAsync(Stream input, Stream output, IProgress<long> progress, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int n;
            while ((n = await input.ReadAsync(buffer.AsMemory(0, 1 << 20), ct)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, n), ct);
                progress.Report(n);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}
