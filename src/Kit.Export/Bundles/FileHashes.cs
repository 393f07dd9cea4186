using System.Buffers;
using System.Security.Cryptography;

namespace Kit.Export.Bundles;

/// <summary>A file's size and checksums: SHA-256 for the manifest, MD5 because Drive and S3 report it.</summary>
public sealed record FileHashes(long Size, string Sha256, string Md5)
{
    private const int BufferSize = 1 << 20;

    /// <summary>Both digests in one pass over the stream.</summary>
    public static async Task<FileHashes> ComputeAsync(Stream stream, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                md5.AppendData(buffer, 0, n);
                size += n;
                progress?.Report(n);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
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
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        int parts = 0;
        try
        {
            while (true)
            {
                using var part = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                long left = partSize, read = 0;
                int n;
                while (left > 0 && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, left)), ct)) > 0)
                {
                    part.AppendData(buffer, 0, n);
                    left -= n;
                    read += n;
                }
                if (read == 0) break;
                outer.AppendData(part.GetHashAndReset());
                parts++;
                if (left > 0) break;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return $"{Hex(outer.GetHashAndReset())}-{parts}";
    }

    /// <summary>MD5 of one byte range (one multipart part), hex.</summary>
    public static async Task<string> RangeMd5Async(string path, long offset, long length, CancellationToken ct = default)
    {
        await using var stream = OpenRead(path);
        stream.Seek(offset, SeekOrigin.Begin);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while (length > 0 && (n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, length)), ct)) > 0)
            {
                md5.AppendData(buffer, 0, n);
                length -= n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return Hex(md5.GetHashAndReset());
    }

    /// <summary>SHA-256 alone: re-hashing a destination folder needs no MD5, and skipping it is about twice as fast.</summary>
    public static async Task<(long Size, string Sha256)> Sha256Async(string path, CancellationToken ct = default)
    {
        await using var stream = OpenRead(path);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), ct)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                size += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return (size, Hex(sha.GetHashAndReset()));
    }

    public static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
