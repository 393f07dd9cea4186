using System.Net;

namespace Kit.Export.Drive;

/// <summary>A Drive request the server refused. The message names the call and the status, never a token.</summary>
public sealed class DriveApiException(string operation, HttpStatusCode status, string detail)
    : IOException($"Google Drive {operation} failed: {(int)status} {status}{(detail.Length > 0 ? $": {detail}" : "")}")
{
    public HttpStatusCode Status { get; } = status;
}
