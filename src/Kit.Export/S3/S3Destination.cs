using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Export.S3;

/// <summary>
/// An S3 bucket and prefix. Small files go up in one PutObject, large ones as a multipart upload whose id and
/// finished parts are kept in the export state after every part, so a re-run continues with only the
/// missing parts. Every object carries x-amz-meta-sha256 (and x-amz-meta-part-size for multipart ones, so
/// the multipart ETag can be checked against the local file).
/// </summary>
public sealed class S3Destination : IExportDestination
{
    private const string Sha256Meta = "x-amz-meta-sha256";
    private const string PartSizeMeta = "x-amz-meta-part-size";

    private readonly AmazonS3Client _client;
    private readonly S3Address _location;
    private readonly S3Options _options;
    private readonly ExportState _state;

    // Over TLS the payload goes unsigned (UNSIGNED-PAYLOAD), sparing a second full read of every file just to
    // hash it for the signature; TLS and the ETag check after upload cover integrity. Plain HTTP must sign it.
    private readonly bool _overTls;

    /// <summary>Raised after each multipart part is stored (part number); lets callers and tests watch progress.</summary>
    public event Action<int>? PartUploaded;

    public S3Destination(S3Address location, S3Options options, ExportState state)
    {
        if (options.PartSize < 1 || options.MultipartThreshold < 1)
            throw new ArgumentException("S3 part size and multipart threshold must be positive");
        _location = location;
        _options = options;
        _state = state;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            // Compatible servers differ on the newer trailing checksums; verification covers integrity.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.EndpointUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        _overTls = options.EndpointUrl is not { } endpoint || endpoint.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        _client = options.Credentials is { } creds ? new AmazonS3Client(creds, config) : new AmazonS3Client(config);
    }

    public string Description => _location + (_options.EndpointUrl is { } url ? $" (endpoint {url})" : "");

    public Task EnsureFolderAsync(CancellationToken ct) => Task.CompletedTask; // S3 has no folders

    public Task<long?> FreeBytesAsync(CancellationToken ct) => Task.FromResult<long?>(null);

    public async Task<IReadOnlyList<RemoteFile>> ListAsync(CancellationToken ct)
    {
        var files = new List<RemoteFile>();
        string? token = null;
        do
        {
            var page = await _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _location.Bucket, Prefix = _location.Prefix, ContinuationToken = token,
            }, ct);
            foreach (var o in page.S3Objects ?? [])
                if (await FindAsync(o.Key[_location.Prefix.Length..], ct) is { } f) files.Add(f);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        } while (token is not null);
        return files;
    }

    public async Task<RemoteFile?> FindAsync(string relativePath, CancellationToken ct)
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(_location.Bucket, _location.Key(relativePath), ct);
            long? partSize = long.TryParse(head.Metadata[PartSizeMeta], out var p) ? p : null;
            var sha = head.Metadata[Sha256Meta];
            return new RemoteFile(relativePath, head.ContentLength, ETag: head.ETag, PartSize: partSize,
                MetadataSha256: string.IsNullOrEmpty(sha) ? null : sha);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound) { return null; }
    }

    public async Task UploadAsync(BundleFile file, IProgress<long> progress, CancellationToken ct)
    {
        if (file.Size < _options.MultipartThreshold) await PutAsync(file, progress, ct);
        else await MultipartAsync(file, progress, ct);
    }

    private async Task PutAsync(BundleFile file, IProgress<long> progress, CancellationToken ct)
    {
        await using var stream = file.OpenRead();
        var request = new PutObjectRequest
        {
            BucketName = _location.Bucket, Key = _location.Key(file.RelativePath), InputStream = stream,
            AutoCloseStream = false,
            // Plain-HTTP endpoints otherwise get an aws-chunked body that some servers store verbatim.
            UseChunkEncoding = false,
            DisablePayloadSigning = _overTls,
        };
        request.Metadata[Sha256Meta] = file.Hashes.Sha256;
        request.StreamTransferProgress += (_, e) => progress.Report(e.IncrementTransferred);
        await _client.PutObjectAsync(request, ct);
    }

    private async Task MultipartAsync(BundleFile file, IProgress<long> progress, CancellationToken ct)
    {
        var key = _location.Key(file.RelativePath);
        var stateKey = $"{_location.Bucket}/{key}";
        long partSize = _options.PartSize;
        int partCount = (int)((file.Size + partSize - 1) / partSize);

        var done = await ResumableParts(file, stateKey, key, partSize, ct);
        string uploadId;
        if (done is null)
        {
            var init = new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key };
            init.Metadata[Sha256Meta] = file.Hashes.Sha256;
            init.Metadata[PartSizeMeta] = partSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
            uploadId = (await _client.InitiateMultipartUploadAsync(init, ct)).UploadId;
            done = [];
            _state.Update(s => s.S3Uploads[stateKey] = new S3Upload(uploadId, file.Hashes.Sha256, partSize, []));
        }
        else
        {
            uploadId = _state.S3Uploads[stateKey].UploadId;
            progress.Report(done.Values.Sum(p => p.Size));
        }

        for (int number = 1; number <= partCount; number++)
        {
            if (done.ContainsKey(number)) continue;
            long offset = (number - 1) * partSize, size = Math.Min(partSize, file.Size - offset);
            await using var stream = file.OpenRead();
            stream.Seek(offset, SeekOrigin.Begin);
            var request = new UploadPartRequest
            {
                BucketName = _location.Bucket, Key = key, UploadId = uploadId, PartNumber = number,
                InputStream = new BoundedStream(stream, size), PartSize = size, UseChunkEncoding = false,
                DisablePayloadSigning = _overTls,
            };
            request.StreamTransferProgress += (_, e) => progress.Report(e.IncrementTransferred);
            var response = await _client.UploadPartAsync(request, ct);
            var part = new S3Part(number, response.ETag.Trim('"'), size);
            done[number] = part;
            _state.Update(s => s.S3Uploads[stateKey].Parts.Add(part));
            PartUploaded?.Invoke(number);
        }

        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _location.Bucket, Key = key, UploadId = uploadId,
            PartETags = done.Values.OrderBy(p => p.Number).Select(p => new PartETag(p.Number, p.ETag)).ToList(),
        }, ct);
        _state.Update(s => s.S3Uploads.Remove(stateKey));
    }

    /// <summary>
    /// The parts an earlier run already stored for this same content, or null to start a new upload.
    /// Asks the server (ListParts) and falls back to the export state where the server cannot list them;
    /// every part is kept only if its ETag equals the MD5 of the same byte range of the local file.
    /// </summary>
    private async Task<Dictionary<int, S3Part>?> ResumableParts(BundleFile file, string stateKey, string key, long partSize, CancellationToken ct)
    {
        if (!_state.S3Uploads.TryGetValue(stateKey, out var saved)) return null;
        if (saved.Sha256 != file.Hashes.Sha256 || saved.PartSize != partSize)
        {
            await AbortQuietly(key, saved.UploadId);
            _state.Update(s => s.S3Uploads.Remove(stateKey));
            return null;
        }
        IEnumerable<S3Part> candidates = saved.Parts;
        try
        {
            var listed = await _client.ListPartsAsync(new ListPartsRequest { BucketName = _location.Bucket, Key = key, UploadId = saved.UploadId }, ct);
            candidates = (listed.Parts ?? []).Select(p => new S3Part(p.PartNumber ?? 0, p.ETag.Trim('"'), p.Size ?? 0));
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            _state.Update(s => s.S3Uploads.Remove(stateKey));
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed)
        {
            // Some compatible servers (s3rver) cannot list parts; the parts this machine recorded stand in.
        }
        var kept = new Dictionary<int, S3Part>();
        foreach (var part in candidates)
        {
            long offset = (part.Number - 1) * partSize, size = Math.Min(partSize, file.Size - offset);
            if (part.Number >= 1 && part.Size == size && await FileHashes.RangeMd5Async(file.SourcePath, offset, size, ct) == part.ETag)
                kept[part.Number] = part;
        }
        _state.Update(s => s.S3Uploads[stateKey] = saved with { Parts = kept.Values.OrderBy(p => p.Number).ToList() });
        return kept;
    }

    private async Task AbortQuietly(string key, string uploadId)
    {
        try { await _client.AbortMultipartUploadAsync(_location.Bucket, key, uploadId); }
        catch (AmazonS3Exception) { } // an upload that is gone already needs no abort
    }

    public async Task DownloadAsync(string relativePath, Stream target, IProgress<long> progress, CancellationToken ct)
    {
        GetObjectResponse response;
        try { response = await _client.GetObjectAsync(_location.Bucket, _location.Key(relativePath), ct); }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"{_location}/{relativePath}: not found");
        }
        using (response)
            await LocalFolderDestination.CopyAsync(response.ResponseStream, target, progress, ct);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
