using System.Net;

namespace Kit.Aws.Metadata;

/// <summary>
/// The EC2 instance metadata service, IMDSv2 only: PUT /latest/api/token for a session token, then GETs with
/// X-aws-ec2-metadata-token. A 401 means the token expired or was refused; the client fetches a new one once
/// and retries. The base address is configurable so tests run a loopback service; the real one
/// (169.254.169.254) answers only on an EC2 VM.
/// <para>
/// Why not AWSSDK.Core's <c>Amazon.Util.EC2InstanceMetadata</c> (it does take an arbitrary path and honours
/// AWS_EC2_METADATA_SERVICE_ENDPOINT): its <c>GetData</c> returns null both for a 404 (no interruption notice:
/// the normal answer) and for a service that did not answer, after blocking the thread in its own
/// Thread.Sleep retries, so the spot watcher could not tell "no notice" from "this poll failed"; and when the
/// token PUT fails it quietly falls back to token-less IMDSv1 requests. The watcher needs each poll's
/// outcome, IMDSv2 only, and a cancellable async call, which these 70 lines give.
/// </para>
/// </summary>
public sealed class InstanceMetadataClient : IDisposable
{
    public static readonly Uri DefaultBase = new("http://169.254.169.254/");

    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly TimeSpan tokenTtl;
    private readonly SemaphoreSlim tokenGate = new(1, 1);
    private string? token;
    private DateTimeOffset tokenExpires;

    public InstanceMetadataClient(Uri? baseAddress = null, TimeSpan? tokenTtl = null, HttpClient? http = null)
    {
        BaseAddress = baseAddress ?? DefaultBase;
        this.tokenTtl = tokenTtl ?? TimeSpan.FromHours(6);
        ownsHttp = http is null;
        // Short timeout: off EC2 the address does not answer, and a watcher must not hang a poll.
        this.http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
    }

    public Uri BaseAddress { get; }

    /// <summary>GET latest/meta-data/PATH; null when the service answers 404 (e.g. no interruption notice).</summary>
    public async Task<string?> GetMetadataAsync(string path, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await TokenAsync(forceRefresh: attempt > 0, ct).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "latest/meta-data/" + path.TrimStart('/')));
            request.Headers.Add("X-aws-ec2-metadata-token", current);
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                case HttpStatusCode.NotFound:
                    return null;
                case HttpStatusCode.Unauthorized when attempt == 0:
                    continue;
                default:
                    throw new InstanceMetadataException(
                        $"instance metadata {path}: HTTP {(int)response.StatusCode} {response.StatusCode} from {BaseAddress}");
            }
        }
    }

    private async Task<string> TokenAsync(bool forceRefresh, CancellationToken ct)
    {
        await tokenGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // Refresh a minute early so a token never expires between the check and the GET.
            if (!forceRefresh && token is not null && DateTimeOffset.UtcNow < tokenExpires - TimeSpan.FromMinutes(1))
                return token;
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(BaseAddress, "latest/api/token"));
            request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ((int)tokenTtl.TotalSeconds).ToString());
            using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InstanceMetadataException(
                    $"instance metadata token: HTTP {(int)response.StatusCode} {response.StatusCode} from {BaseAddress}latest/api/token");
            token = (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
            tokenExpires = DateTimeOffset.UtcNow + tokenTtl;
            return token;
        }
        finally { tokenGate.Release(); }
    }

    public void Dispose()
    {
        if (ownsHttp) http.Dispose();
        tokenGate.Dispose();
    }
}

public sealed class InstanceMetadataException(string message) : Exception(message);
