using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Apis.Http;

namespace Kit.Export.Drive;

/// <summary>
/// A thin Drive v3 REST client: the handful of calls an export needs (files.list with q, files.create for
/// folders, resumable upload sessions, about.get, download, delete). The base URI is configurable so tests
/// talk to a loopback server. Authorization comes from the HTTP client's initializer (a Google credential);
/// this class never sees or prints the token. Written on Google.Apis (auth, resumable upload) because
/// Google.Apis.Drive.v3, the generated client, is not served by the package registry the kit restores from.
/// </summary>
public sealed class DriveClient : IDisposable
{
    public static readonly Uri GoogleApis = new("https://www.googleapis.com/");

    private readonly Uri _base;

    /// <summary>The authorized client; <see cref="DriveUpload"/> sends chunks through it too.</summary>
    internal ConfigurableHttpClient Http { get; }

    public DriveClient(IConfigurableHttpClientInitializer credential, Uri? baseUri = null)
    {
        _base = baseUri ?? GoogleApis;
        if (!_base.AbsoluteUri.EndsWith('/')) _base = new Uri(_base.AbsoluteUri + "/");
        Http = new HttpClientFactory().CreateHttpClient(new CreateHttpClientArgs { ApplicationName = "kit-export", Initializers = { credential } });
        Http.Timeout = TimeSpan.FromMinutes(10);
    }

    /// <summary>The children of a folder, optionally only those with one name (files.list with q).</summary>
    public async Task<IReadOnlyList<DriveFile>> ListChildrenAsync(string parentId, string? name, CancellationToken ct)
    {
        var q = $"'{Escape(parentId)}' in parents and trashed = false" + (name is null ? "" : $" and name = '{Escape(name)}'");
        var files = new List<DriveFile>();
        string? page = null;
        do
        {
            var url = $"drive/v3/files?q={Uri.EscapeDataString(q)}&spaces=drive&pageSize=1000" +
                      $"&fields={Uri.EscapeDataString($"nextPageToken,files({DriveFile.Fields})")}" +
                      (page is null ? "" : $"&pageToken={Uri.EscapeDataString(page)}");
            var list = await SendAsync(HttpMethod.Get, url, null, "files.list", DriveJson.Default.DriveFileList, ct);
            files.AddRange(list.Files ?? []);
            page = list.NextPageToken;
        } while (page is not null);
        return files;
    }

    public Task<DriveFile> CreateFolderAsync(string parentId, string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"drive/v3/files?fields={DriveFile.Fields}",
            JsonContent.Create(new DriveNewFile(name, [parentId], DriveFile.FolderMimeType), DriveJson.Default.DriveNewFile),
            "files.create (folder)", DriveJson.Default.DriveFile, ct);

    public async Task<DriveStorageQuota> StorageQuotaAsync(CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, "drive/v3/about?fields=storageQuota", null, "about.get", DriveJson.Default.DriveAbout, ct))
        .StorageQuota ?? new DriveStorageQuota(null, null);

    /// <summary>Opens a resumable upload session for a new file; returns the session URI to send chunks to.</summary>
    public async Task<Uri> StartUploadSessionAsync(string parentId, string name, long size, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, $"upload/drive/v3/files?uploadType=resumable&fields={DriveFile.Fields}"))
        {
            Content = JsonContent.Create(new DriveNewFile(name, [parentId], null), DriveJson.Default.DriveNewFile),
        };
        request.Headers.Add("X-Upload-Content-Type", "application/octet-stream");
        request.Headers.Add("X-Upload-Content-Length", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await Http.SendAsync(request, ct);
        await ThrowIfFailed(response, "resumable upload start", ct);
        return response.Headers.Location ?? throw new DriveApiException("resumable upload start", response.StatusCode, "no Location header with the session URI");
    }

    public async Task DownloadAsync(string fileId, Stream target, IProgress<long> progress, CancellationToken ct)
    {
        using var response = await Http.GetAsync(new Uri(_base, $"drive/v3/files/{Uri.EscapeDataString(fileId)}?alt=media"), HttpCompletionOption.ResponseHeadersRead, ct);
        await ThrowIfFailed(response, "download", ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await Destinations.LocalFolderDestination.CopyAsync(body, target, progress, ct);
    }

    public async Task DeleteAsync(string fileId, CancellationToken ct)
    {
        using var response = await Http.DeleteAsync(new Uri(_base, $"drive/v3/files/{Uri.EscapeDataString(fileId)}"), ct);
        if (response.StatusCode != HttpStatusCode.NotFound) await ThrowIfFailed(response, "files.delete", ct);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string relative, HttpContent? content, string operation,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, relative)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request, ct);
        await ThrowIfFailed(response, operation, ct);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new DriveApiException(operation, response.StatusCode, $"unexpected response ({e.Message})");
        }
    }

    internal static async Task ThrowIfFailed(HttpResponseMessage response, string operation, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new DriveApiException(operation, response.StatusCode, ErrorMessage(body));
    }

    /// <summary>Drive's error JSON carries a readable error.message; fall back to a short slice of the body.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object &&
                err.TryGetProperty("message", out var msg))
                return msg.GetString() ?? "";
        }
        catch (JsonException) { }
        return body.Length > 200 ? body[..200] : body;
    }

    /// <summary>Quotes for a q string: backslash and single quote are escaped.</summary>
    internal static string Escape(string value) => value.Replace("\\", "\\\\").Replace("'", "\\'");

    public void Dispose() => Http.Dispose();
}
