using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Kit.Aws.Tests.Support;

/// <summary>
/// An independent SigV4 check for the fake EC2 server, written from AWS's documented algorithm (it shares
/// no code with Kit.Aws or AWSSDK.Core): parses the Authorization header, rebuilds the canonical request
/// from what arrived on the wire, derives the key with HMAC-SHA256 and compares signatures.
/// </summary>
public static partial class SigV4Verifier
{
    public sealed record Parsed(string AccessKey, string Date, string Region, string Service, string[] SignedHeaders, string Signature);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([a-z0-9-]+)/([a-z0-9]+)/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")]
    private static partial Regex AuthorizationShape();

    public static Parsed Parse(string? authorization)
    {
        var m = AuthorizationShape().Match(authorization ?? throw new InvalidOperationException("no Authorization header"));
        if (!m.Success) throw new InvalidOperationException($"malformed Authorization header: {authorization}");
        return new Parsed(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value,
            m.Groups[5].Value.Split(';'), m.Groups[6].Value);
    }

    /// <summary>Throws with the reason when the request's signature is not what the secret key gives.</summary>
    public static Parsed Verify(SeenRequest request, string secretKey)
    {
        var auth = Parse(request.Headers.GetValueOrDefault("authorization"));
        if (!auth.SignedHeaders.Contains("host") || !auth.SignedHeaders.Contains("x-amz-date"))
            throw new InvalidOperationException("SignedHeaders must include host and x-amz-date: " + string.Join(";", auth.SignedHeaders));
        var amzDate = request.Headers.GetValueOrDefault("x-amz-date") ?? throw new InvalidOperationException("no x-amz-date");
        if (!amzDate.StartsWith(auth.Date, StringComparison.Ordinal))
            throw new InvalidOperationException($"x-amz-date {amzDate} is not on the credential scope's day {auth.Date}");
        var when = DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        if (Math.Abs((DateTime.UtcNow - when).TotalMinutes) > 5)
            throw new InvalidOperationException($"x-amz-date {amzDate} is more than 5 minutes off");

        var canonical = new StringBuilder()
            .Append(request.Method).Append('\n')
            .Append(request.Path.Split('?')[0]).Append('\n')
            .Append("").Append('\n');
        foreach (var h in auth.SignedHeaders)
        {
            var value = request.Headers.GetValueOrDefault(h) ?? throw new InvalidOperationException($"signed header {h} not sent");
            canonical.Append(h).Append(':').Append(Regex.Replace(value.Trim(), " +", " ")).Append('\n');
        }
        canonical.Append('\n').Append(string.Join(";", auth.SignedHeaders)).Append('\n')
            .Append(Hex(SHA256.HashData(request.Body)));

        var scope = $"{auth.Date}/{auth.Region}/{auth.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), auth.Date);
        key = Hmac(key, auth.Region);
        key = Hmac(key, auth.Service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        if (expected != auth.Signature)
            throw new InvalidOperationException($"signature mismatch: sent {auth.Signature}, expected {expected}\ncanonical request:\n{canonical}");
        return auth;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
