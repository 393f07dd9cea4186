using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Kit.Aws.Signing;

/// <summary>
/// Signs a request with AWS Signature Version 4. The kit builds the canonical request (method, path,
/// query, headers, payload hash) itself because AWSSDK.Core's request-level signer needs the SDK's whole
/// pipeline (a service client config and request object) that exists only in AWSSDK.EC2, which cannot be
/// restored here; the string to sign, key derivation and HMAC come from AWSSDK.Core's public
/// <see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>.
/// </summary>
public static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// Adds x-amz-date (and x-amz-security-token for temporary credentials) to <paramref name="headers"/>
    /// and returns the Authorization header value. Every header passed in is signed; host must be among them.
    /// </summary>
    public static string Sign(
        string method, Uri uri, IDictionary<string, string> headers, byte[] body,
        ImmutableCredentials credentials, string region, string service, DateTime signedAtUtc)
    {
        headers["x-amz-date"] = signedAtUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        if (credentials.UseToken)
            headers["x-amz-security-token"] = credentials.Token;
        var (canonical, signedHeaders) = CanonicalRequest(method, uri, headers, body);
        return AWS4Signer.ComputeSignature(credentials, region, signedAtUtc, service, signedHeaders, canonical)
            .ForAuthorizationHeader;
    }

    /// <summary>The canonical request and its SignedHeaders list, per AWS's documented algorithm.</summary>
    public static (string Canonical, string SignedHeaders) CanonicalRequest(
        string method, Uri uri, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var sorted = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => CollapseSpaces(h.Value)))))
            .ToList();
        var signedHeaders = string.Join(";", sorted.Select(h => h.Name));
        var sb = new StringBuilder();
        sb.Append(method.ToUpperInvariant()).Append('\n');
        sb.Append(string.IsNullOrEmpty(uri.AbsolutePath) ? "/" : uri.AbsolutePath).Append('\n');
        sb.Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in sorted)
            sb.Append(name).Append(':').Append(value).Append('\n');
        sb.Append('\n').Append(signedHeaders).Append('\n');
        sb.Append(Convert.ToHexStringLower(SHA256.HashData(body)));
        return (sb.ToString(), signedHeaders);
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?") return "";
        return string.Join("&", query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p =>
            {
                var eq = p.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? p : p[..eq]);
                var value = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..]);
                return (Key: Uri.EscapeDataString(key), Value: Uri.EscapeDataString(value));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    private static string CollapseSpaces(string value)
    {
        var trimmed = value.Trim();
        var sb = new StringBuilder(trimmed.Length);
        var lastSpace = false;
        foreach (var c in trimmed)
        {
            if (c == ' ') { if (!lastSpace) sb.Append(c); lastSpace = true; }
            else { sb.Append(c); lastSpace = false; }
        }
        return sb.ToString();
    }
}
