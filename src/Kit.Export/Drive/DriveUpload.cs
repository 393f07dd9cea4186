using System.Text.Json;
using Google.Apis.Upload;

namespace Kit.Export.Drive;

/// <summary>
/// Google's <see cref="ResumableUpload"/> driven over a session the kit opened itself (so the session URI is
/// saved before the first byte goes out). The library sends the chunks, reads 308 Resume Incomplete and its
/// Range header, and after a dropped connection asks the server how far it got; this class keeps the final
/// response's file metadata.
/// </summary>
internal sealed class DriveUpload : ResumableUpload
{
    private readonly Uri _session;

    public DriveFile? Result { get; private set; }

    public DriveUpload(Uri session, Stream content, DriveClient client, int chunkSize)
        : base(content, new ResumableUploadOptions { HttpClient = client.Http })
    {
        _session = session;
        ChunkSize = chunkSize;
    }

    public override Task<Uri> InitiateSessionAsync(CancellationToken cancellationToken = default) => Task.FromResult(_session);

    protected override void ProcessResponse(HttpResponseMessage httpResponse)
    {
        var body = httpResponse.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        try { Result = JsonSerializer.Deserialize(body, DriveJson.Default.DriveFile); }
        catch (JsonException) { Result = null; }
    }
}
