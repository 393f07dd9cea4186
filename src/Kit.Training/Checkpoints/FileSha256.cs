using System.Security.Cryptography;

namespace Kit.Training.Checkpoints;

/// <summary>
/// A file's size and SHA-256 (lower-case hex): the one content hash the trainer's checkpoint manifest, resume,
/// export, the S3 checkpoint sync and the dataset store write and compare.
/// </summary>
public static class FileSha256
{
    public static (long Size, string Sha256) Of(string path)
    {
        using var stream = Open(path, FileOptions.SequentialScan);
        return (stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    public static async Task<(long Size, string Sha256)> OfAsync(string path, CancellationToken ct = default)
    {
        await using var stream = Open(path, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return (stream.Length, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false)));
    }

    private static FileStream Open(string path, FileOptions options) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, options);
}
