using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Json;

namespace Kit.Export.Drive;

/// <summary>
/// OAuth 2.0 for limited-input devices (RFC 8628) against Google's endpoints, for headless machines: the user
/// opens a URL on any device and types a short code; this polls until the grant arrives. Google.Apis.Auth has
/// no such flow, hence these few lines. Requires an OAuth client of type "TVs and Limited Input devices".
/// </summary>
internal static class DeviceFlow
{
    private static readonly Uri CodeEndpoint = new("https://oauth2.googleapis.com/device/code");
    private static readonly Uri TokenEndpoint = new("https://oauth2.googleapis.com/token");

    private sealed record CodeResponse(
        [property: JsonPropertyName("device_code")] string DeviceCode,
        [property: JsonPropertyName("user_code")] string UserCode,
        [property: JsonPropertyName("verification_url")] string VerificationUrl,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("interval")] int Interval);

    public static async Task<TokenResponse> AuthorizeAsync(ClientSecrets secrets, string scope, Action<string> tell, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var codeResponse = await http.PostAsync(CodeEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = secrets.ClientId, ["scope"] = scope,
        }), ct);
        if (!codeResponse.IsSuccessStatusCode)
            throw new InvalidOperationException($"Google refused the device sign-in ({(int)codeResponse.StatusCode}); the OAuth client must be of type \"TVs and Limited Input devices\"");
        var code = await codeResponse.Content.ReadFromJsonAsync<CodeResponse>(ct) ?? throw new InvalidOperationException("empty device-code response");
        tell($"To let the kit write to your Google Drive, open {code.VerificationUrl} on any device and enter the code {code.UserCode}");

        var interval = TimeSpan.FromSeconds(Math.Max(code.Interval, 5));
        var deadline = DateTime.UtcNow.AddSeconds(code.ExpiresIn);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(interval, ct);
            using var poll = await http.PostAsync(TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = secrets.ClientId, ["client_secret"] = secrets.ClientSecret, ["device_code"] = code.DeviceCode,
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            }), ct);
            var body = await poll.Content.ReadAsStringAsync(ct);
            if (poll.IsSuccessStatusCode)
            {
                var token = NewtonsoftJsonSerializer.Instance.Deserialize<TokenResponse>(body);
                token.IssuedUtc = DateTime.UtcNow;
                return token;
            }
            var error = NewtonsoftJsonSerializer.Instance.Deserialize<TokenErrorResponse>(body)?.Error;
            switch (error)
            {
                case "authorization_pending": continue;
                case "slow_down": interval += TimeSpan.FromSeconds(5); continue;
                case "access_denied": throw new InvalidOperationException("Google Drive sign-in was declined");
                default: throw new InvalidOperationException($"Google Drive sign-in failed: {error ?? ((int)poll.StatusCode).ToString()}");
            }
        }
        throw new TimeoutException("the Google Drive sign-in code expired before it was entered; run the export again");
    }
}
