using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Export.Verification;

/// <summary>Whether a file at the destination holds exactly the bytes of a local bundle file.</summary>
public static class Checksums
{
    /// <summary>Null when it matches; otherwise why not, in words.</summary>
    public static async Task<string?> MismatchAsync(BundleFile local, RemoteFile remote, CancellationToken ct)
    {
        if (remote.Size != local.Size)
            return $"size {remote.Size:N0} bytes, expected {local.Size:N0}";
        bool checkedAny = false;
        if (remote.Sha256 is { } sha)
        {
            if (!Same(sha, local.Hashes.Sha256)) return $"SHA-256 {sha}, expected {local.Hashes.Sha256}";
            checkedAny = true;
        }
        if (remote.Md5 is { } md5)
        {
            if (!Same(md5, local.Hashes.Md5)) return $"MD5 {md5}, expected {local.Hashes.Md5}";
            checkedAny = true;
        }
        if (remote.ETag is { } etag)
        {
            etag = etag.Trim('"');
            string expected = etag.Contains('-')
                ? remote.PartSize is { } partSize
                    ? await FileHashes.MultipartETagAsync(local.SourcePath, partSize, ct)
                    : ""
                : local.Hashes.Md5;
            if (expected == "")
                return $"multipart ETag {etag} without the part size needed to check it";
            if (!Same(etag, expected)) return $"ETag {etag}, expected {expected}";
            checkedAny = true;
        }
        if (remote.MetadataSha256 is { } claimed && !Same(claimed, local.Hashes.Sha256))
            return $"sha256 metadata {claimed}, expected {local.Hashes.Sha256}";
        return checkedAny ? null : "the destination reports no checksum for it";
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
