using System.Buffers;
using System.Security.Cryptography;

namespace Kit.Export.Bundles;

/// <summary>
/// A file's size and checksums in one pass: SHA-256 for the manifest, MD5 because Drive and S3 report it. Where
/// only the SHA-256 is wanted, <see cref="Kit.Training.Checkpoints.FileSha256"/> is the one way.
/// </summary>
public sealed record FileHashes(long Size, string Sha256, string Md5)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Both digests in one pass over the stream.</summary>
    public static async Task<FileHashes> ComputeAsync(Stream stream, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var size = await AppendAsync(stream, long.MaxValue, progress, ct, sha, md5);
        return new FileHashes(size, Hex(sha.GetHashAndReset()), Hex(md5.GetHashAndReset()));
    }

    public static async Task<FileHashes> ComputeAsync(string path, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        await using var stream = OpenRead(path);
        return await ComputeAsync(stream, progress, ct);
    }

    /// <summary>
    /// The ETag S3 gives a multipart object: MD5 of the parts' binary MD5s, then "-" and the part count.
    /// Computed locally so verification compares against what the server itself derived from the bytes.
    /// </summary>
    public static async Task<string> MultipartETagAsync(string path, long partSize, CancellationToken ct = default)
    {
        await using var stream = OpenRead(path);
        using var outer = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        int parts = 0;
        while (true)
        {
            using var part = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            var read = await AppendAsync(stream, partSize, null, ct, part);
            if (read == 0) break;
            outer.AppendData(part.GetHashAndReset());
            parts++;
            if (read < partSize) break;
        }
        return $"{Hex(outer.GetHashAndReset())}-{parts}";
    }

    /// <summary>MD5 of one byte range (one multipart part), hex.</summary>
    public static async Task<string> RangeMd5Async(string path, long offset, long length, CancellationToken ct = default)
    {
        await using var stream = OpenRead(path);
        stream.Seek(offset, SeekOrigin.Begin);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await AppendAsync(stream, length, null, ct, md5);
        return Hex(md5.GetHashAndReset());
    }

    /// <summary>Feeds up to <paramref name="limit"/> bytes of the stream to every hash; returns how many there were.</summary>
    private static async Task<long> AppendAsync(Stream stream, long limit, IProgress<long>? progress, CancellationToken ct, params IncrementalHash[] hashes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long read = 0;
        try
        {
            int n;
            while (read < limit && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, limit - read)), ct)) > 0)
            {
                foreach (var hash in hashes) hash.AppendData(buffer, 0, n);
                read += n;
                progress?.Report(n);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return read;
    }

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
