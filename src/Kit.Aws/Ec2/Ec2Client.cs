using System.Net;
using System.Text;
using System.Xml.Linq;
using Kit.Aws.Signing;

namespace Kit.Aws.Ec2;

/// <summary>
/// A thin client for the EC2 Query API (AWSSDK.EC2 cannot be restored here): form-encoded POSTs signed with
/// SigV4, XML answers parsed into records, AWS errors as <see cref="Ec2Exception"/>, throttling retried.
/// The actions the kit needs live in <c>Ec2Client.Actions.cs</c>.
/// </summary>
public sealed partial class Ec2Client : IDisposable
{
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private readonly AwsSession session;
    private readonly HttpClient http;
    private readonly bool ownsHttp;
    private readonly RetryPolicy retry;
    private readonly Random jitter = new();

    /// <param name="endpoint">Defaults to https://ec2.REGION.amazonaws.com/; tests point it at loopback.</param>
    public Ec2Client(AwsSession session, Uri? endpoint = null, RetryPolicy? retry = null, HttpClient? http = null)
    {
        this.session = session;
        Endpoint = endpoint ?? new Uri($"https://ec2.{session.Region}.amazonaws.com/");
        this.retry = retry ?? RetryPolicy.Default;
        ownsHttp = http is null;
        this.http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Endpoint { get; }

    public string Region => session.Region;

    /// <summary>Sends one call, retrying throttling; returns the response document's root element.</summary>
    public async Task<XElement> SendAsync(Ec2Query query, CancellationToken ct = default)
    {
        var body = Encoding.UTF8.GetBytes(query.ToFormBody());
        for (var attempt = 1; ; attempt++)
        {
            var (status, text) = await PostAsync(body, ct).ConfigureAwait(false);
            if (status is >= 200 and < 300)
                return ParseDocument(query.Action, text, status).Root!;
            var error = ParseError(query.Action, status, text, attempt);
            if (!error.IsThrottling || attempt >= retry.MaxAttempts)
                throw error;
            await Task.Delay(retry.DelayBefore(attempt - 1, jitter), ct).ConfigureAwait(false);
        }
    }

    private async Task<(int Status, string Text)> PostAsync(byte[] body, CancellationToken ct)
    {
        var credentials = await session.GetCredentialsAsync().ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["host"] = Endpoint.IsDefaultPort ? Endpoint.Host : $"{Endpoint.Host}:{Endpoint.Port}",
            ["content-type"] = "application/x-www-form-urlencoded; charset=utf-8",
        };
        var authorization = SigV4.Sign("POST", Endpoint, headers, body, credentials, session.Region, "ec2", DateTime.UtcNow);

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["content-type"]);
        foreach (var (name, value) in headers)
            if (name is not ("host" or "content-type"))
                request.Headers.TryAddWithoutValidation(name, value);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
    }

    private static XDocument ParseDocument(string action, string text, int status)
    {
        try { return XDocument.Parse(text); }
        catch (System.Xml.XmlException e)
        {
            throw new Ec2Exception(action, "MalformedResponse", $"the reply is not XML ({e.Message}): {Clip(text)}", null, status);
        }
    }

    private static Ec2Exception ParseError(string action, int status, string text, int attempt)
    {
        try
        {
            var root = XDocument.Parse(text).Root!;
            var error = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            var requestId = root.Descendants().FirstOrDefault(e => e.Name.LocalName is "RequestID" or "RequestId")?.Value;
            if (error is not null)
                return new Ec2Exception(action,
                    error.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "Unknown",
                    error.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "",
                    requestId, status, attempt);
        }
        catch (System.Xml.XmlException) { }
        var code = status == 503 ? "ServiceUnavailable" : $"Http{status}";
        return new Ec2Exception(action, code, $"HTTP {status} {(HttpStatusCode)status}: {Clip(text)}", null, status, attempt);
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "…";

    public void Dispose()
    {
        if (ownsHttp) http.Dispose();
    }
}
