using Kit.Export.Bundles;

namespace Kit.Export.Destinations;

/// <summary>
/// Where a bundle goes and comes back from: a local folder, S3, Google Drive. Paths are bundle-relative with
/// forward slashes. Implementations resume what an earlier, interrupted call left behind, and never put
/// credentials into messages or exceptions.
/// </summary>
public interface IExportDestination : IAsyncDisposable
{
    /// <summary>Where this is, for people (no credentials): "s3://bucket/prefix", "gdrive:MyDrive/voices/x".</summary>
    string Description { get; }

    /// <summary>Creates the destination folder (and its parents) when missing.</summary>
    Task EnsureFolderAsync(CancellationToken ct);

    /// <summary>Bytes free at the destination, or null when it cannot tell.</summary>
    Task<long?> FreeBytesAsync(CancellationToken ct);

    /// <summary>Every file under the destination folder, with what the destination knows of its checksums.</summary>
    Task<IReadOnlyList<RemoteFile>> ListAsync(CancellationToken ct);

    /// <summary>One file's listing entry, or null when it is not there.</summary>
    Task<RemoteFile?> FindAsync(string relativePath, CancellationToken ct);

    /// <summary>
    /// Uploads one file, resuming an earlier partial upload of the same content where the destination allows.
    /// <paramref name="progress"/> receives byte counts sent since the last report.
    /// </summary>
    Task UploadAsync(BundleFile file, IProgress<long> progress, CancellationToken ct);

    /// <summary>Streams one file's bytes into <paramref name="target"/>.</summary>
    Task DownloadAsync(string relativePath, Stream target, IProgress<long> progress, CancellationToken ct);
}

/// <summary>
/// A file as the destination lists it. Each checksum is null when the destination does not report it.
/// <see cref="ETag"/> is S3's (an MD5 for single-part objects, "md5-of-md5s-N" for multipart ones, with the part size
/// in <see cref="PartSize"/>); <see cref="MetadataSha256"/> is what the uploader claimed, not what the server computed.
/// </summary>
public sealed record RemoteFile(string RelativePath, long Size, string? Sha256 = null, string? Md5 = null, string? ETag = null,
    long? PartSize = null, string? MetadataSha256 = null);
