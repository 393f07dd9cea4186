using System.Net;
using Google;
using Google.Apis.Upload;
using Kit.Export.Bundles;
using Kit.Export.Destinations;

namespace Kit.Export.Drive;

/// <summary>
/// A Google Drive folder such as MyDrive/voices/my-voice (created as needed). Each file goes up through a
/// resumable session whose URI is saved in the export state before the first chunk, so a dropped connection
/// is resumed in place and a restarted process carries on from the server's last received byte. A file of
/// the same name with other content is replaced; one with the same md5Checksum is left alone.
/// </summary>
public sealed class DriveDestination : IExportDestination
{
    public const string Scheme = "gdrive:";
    private const int MaxResumes = 5;

    private readonly DriveClient _client;
    private readonly ExportState _state;
    private readonly string[] _segments;
    private readonly int _chunkSize;
    private readonly Dictionary<string, string> _folderIds = new(StringComparer.Ordinal);

    /// <param name="folder">"MyDrive/voices/my-voice" (MyDrive = the user's root; it may be left out).</param>
    /// <param name="chunkSize">Bytes per chunk: a multiple of 256 KiB, as Drive requires.</param>
    public DriveDestination(DriveClient client, string folder, ExportState state, int chunkSize = 8 << 20)
    {
        if (chunkSize < ResumableUpload.MinimumChunkSize || chunkSize % ResumableUpload.MinimumChunkSize != 0)
            throw new ArgumentException($"Drive chunk size must be a multiple of {ResumableUpload.MinimumChunkSize} bytes, got {chunkSize}");
        _client = client;
        _state = state;
        _chunkSize = chunkSize;
        var parts = folder.Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (parts.Count > 0 && parts[0] is "MyDrive" or "My Drive") parts.RemoveAt(0);
        if (parts.Count == 0) throw new ArgumentException($"'{folder}': name a folder inside My Drive, e.g. MyDrive/voices/my-voice");
        _segments = [.. parts];
        _folderIds[""] = "root";
    }

    public static bool IsDrive(string address) => address.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static string FolderOf(string address) => address[Scheme.Length..];

    public string Description => $"{Scheme}MyDrive/{string.Join('/', _segments)}";

    public async Task EnsureFolderAsync(CancellationToken ct) => await FolderAsync(_segments, create: true, ct);

    public async Task<long?> FreeBytesAsync(CancellationToken ct) => (await _client.StorageQuotaAsync(ct)).Free;

    public async Task<IReadOnlyList<RemoteFile>> ListAsync(CancellationToken ct)
    {
        var root = await FolderAsync(_segments, create: false, ct);
        var files = new List<RemoteFile>();
        if (root is not null) await WalkAsync(root, "", files, ct);
        return files;
    }

    private async Task WalkAsync(string folderId, string prefix, List<RemoteFile> into, CancellationToken ct)
    {
        foreach (var child in (await _client.ListChildrenAsync(folderId, null, ct)).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (child.IsFolder) await WalkAsync(child.Id, prefix + child.Name + "/", into, ct);
            else into.Add(new RemoteFile(prefix + child.Name, child.Size ?? 0, Md5: child.Md5Checksum));
        }
    }

    public async Task<RemoteFile?> FindAsync(string relativePath, CancellationToken ct)
    {
        var file = await FindFileAsync(relativePath, ct);
        return file is null ? null : new RemoteFile(relativePath, file.Size ?? 0, Md5: file.Md5Checksum);
    }

    public async Task UploadAsync(BundleFile file, IProgress<long> progress, CancellationToken ct)
    {
        var (folder, name) = Split(file.RelativePath);
        var parentId = (await FolderAsync([.. _segments, .. folder], create: true, ct))!;
        var key = $"{Description}/{file.RelativePath}";
        await using var stream = file.OpenRead();

        long reported = 0;
        void OnProgress(IUploadProgress p)
        {
            // After a resume the library restarts its count from the server's offset; report only new ground.
            if (p.BytesSent > reported) { progress.Report(p.BytesSent - reported); reported = p.BytesSent; }
        }

        DriveUpload? upload = null;
        IUploadProgress? result = null;
        if (_state.DriveSessions.TryGetValue(key, out var saved) && saved.Sha256 == file.Hashes.Sha256 && saved.Size == file.Size)
        {
            var session = new Uri(saved.SessionUri);
            upload = new DriveUpload(session, stream, _client, _chunkSize);
            upload.ProgressChanged += OnProgress;
            result = await RunAsync(() => upload.ResumeAsync(session, ct), ct);
            if (result.Exception is GoogleApiException { HttpStatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone })
            {
                // Drive forgets sessions after about a week: start this file afresh.
                _state.Update(s => s.DriveSessions.Remove(key));
                upload = null;
            }
        }
        if (upload is null)
        {
            foreach (var old in await _client.ListChildrenAsync(parentId, name, ct))
                if (!old.IsFolder) await _client.DeleteAsync(old.Id, ct);
            var session = await _client.StartUploadSessionAsync(parentId, name, file.Size, ct);
            _state.Update(s => s.DriveSessions[key] = new DriveSession(session.AbsoluteUri, file.Hashes.Sha256, file.Size));
            stream.Seek(0, SeekOrigin.Begin);
            upload = new DriveUpload(session, stream, _client, _chunkSize);
            upload.ProgressChanged += OnProgress;
            result = await RunAsync(() => upload.UploadAsync(ct), ct);
        }

        for (int attempt = 1; result!.Status != UploadStatus.Completed; attempt++)
        {
            if (attempt > MaxResumes)
                throw new IOException($"Google Drive upload of {file.RelativePath} failed after {MaxResumes} resumes: " +
                                      $"{result.Exception?.Message}. Run the export again to continue from the last chunk the server has.", result.Exception);
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt * attempt), ct);
            result = await RunAsync(() => upload.ResumeAsync(ct), ct);
        }
        _state.Update(s => s.DriveSessions.Remove(key));
        if (upload.Result is { Md5Checksum: { } md5 } && !md5.Equals(file.Hashes.Md5, StringComparison.OrdinalIgnoreCase))
            throw new IOException($"{Description}/{file.RelativePath}: Drive stored MD5 {md5}, the local file has {file.Hashes.Md5}");
    }

    /// <summary>Runs one upload step; a cancellation by the caller propagates, anything else becomes a failed progress to resume from.</summary>
    private static async Task<IUploadProgress> RunAsync(Func<Task<IUploadProgress>> step, CancellationToken ct)
    {
        try
        {
            var p = await step();
            ct.ThrowIfCancellationRequested();
            return p;
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            return new FailedProgress(e); // an HTTP timeout, not the caller's cancellation
        }
    }

    private sealed record FailedProgress(Exception Exception) : IUploadProgress
    {
        public UploadStatus Status => UploadStatus.Failed;
        public long BytesSent => 0;
    }

    public async Task DownloadAsync(string relativePath, Stream target, IProgress<long> progress, CancellationToken ct)
    {
        var file = await FindFileAsync(relativePath, ct) ?? throw new FileNotFoundException($"{Description}/{relativePath}: not found");
        await _client.DownloadAsync(file.Id, target, progress, ct);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<DriveFile?> FindFileAsync(string relativePath, CancellationToken ct)
    {
        var (folder, name) = Split(relativePath);
        var parentId = await FolderAsync([.. _segments, .. folder], create: false, ct);
        if (parentId is null) return null;
        return (await _client.ListChildrenAsync(parentId, name, ct)).FirstOrDefault(f => !f.IsFolder);
    }

    /// <summary>The id of a folder path under My Drive, creating missing folders when asked (else null).</summary>
    private async Task<string?> FolderAsync(IReadOnlyList<string> path, bool create, CancellationToken ct)
    {
        string parent = "root", sofar = "";
        foreach (var segment in path)
        {
            sofar = sofar.Length == 0 ? segment : sofar + "/" + segment;
            if (!_folderIds.TryGetValue(sofar, out var id))
            {
                var existing = (await _client.ListChildrenAsync(parent, segment, ct)).FirstOrDefault(f => f.IsFolder);
                if (existing is null && !create) return null;
                id = existing?.Id ?? (await _client.CreateFolderAsync(parent, segment, ct)).Id;
                _folderIds[sofar] = id;
            }
            parent = id;
        }
        return parent;
    }

    private static (string[] Folder, string Name) Split(string relativePath)
    {
        var parts = relativePath.Split('/');
        return (parts[..^1], parts[^1]);
    }
}
