using System.Security.Cryptography;
using System.Text;

namespace Kit.Data.Caching;

/// <summary>
/// Names of cache entries: 32 hex digits (the first 128 bits of SHA-256) of what the entry depends on, so a
/// change to any input names another entry instead of serving a stale one.
/// </summary>
public static class CacheKey
{
    /// <summary>The key of <paramref name="parts"/>, joined by new lines.</summary>
    public static string Of(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))))[..32];

    /// <summary>The key of a file's bytes (a model checkpoint a cache was computed with).</summary>
    public static string OfContents(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..32];
    }

    /// <summary>
    /// What changes when a file changes, without reading it: full path, length and modification time.
    /// Throws <see cref="FileNotFoundException"/> naming the file when there is none.
    /// </summary>
    public static string FileStamp(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such audio file", path);
        return $"{info.FullName}\n{info.Length}\n{info.LastWriteTimeUtc.Ticks}";
    }
}
