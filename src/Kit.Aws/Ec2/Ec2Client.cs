using Amazon.EC2;
using Amazon.Runtime;

namespace Kit.Aws.Ec2;

/// <summary>
/// The EC2 calls the kit makes, through AWSSDK.EC2 (signing, retries with backoff on throttling, paging and
/// XML are the SDK's); this class turns the SDK's shapes into the kit's records and its errors into one
/// readable <see cref="Ec2Exception"/>. The actions live in <c>Ec2Client.Actions.cs</c>.
/// </summary>
public sealed partial class Ec2Client : IDisposable
{
    private readonly AmazonEC2Client sdk;

    /// <param name="endpoint">Defaults to the region's EC2 endpoint; tests point it at a loopback server.</param>
    /// <param name="maxAttempts">Tries per call (the first and the SDK's retries of throttling and 5xx replies).</param>
    public Ec2Client(AwsSession session, Uri? endpoint = null, int maxAttempts = 6)
    {
        if (maxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(maxAttempts), "at least one attempt");
        Region = session.Region;
        MaxAttempts = maxAttempts;
        var config = new AmazonEC2Config
        {
            // Standard mode: exponential backoff with jitter, and throttling codes (RequestLimitExceeded, ...) retried.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = maxAttempts - 1,
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (endpoint is null) config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(session.Region);
        else
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = session.Region;
        }
        Endpoint = endpoint ?? new Uri($"https://ec2.{session.Region}.amazonaws.com/");
        sdk = new AmazonEC2Client(session.Credentials, config);
    }

    public Uri Endpoint { get; }

    public string Region { get; }

    public int MaxAttempts { get; }

    /// <summary>The SDK client itself, for a call the kit does not wrap.</summary>
    public IAmazonEC2 Sdk => sdk;

    /// <summary>Runs one SDK call; an error reply (after the SDK's retries) becomes an <see cref="Ec2Exception"/>.</summary>
    private async Task<T> Call<T>(string action, Func<IAmazonEC2, Task<T>> call)
    {
        try
        {
            return await call(sdk).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            var status = (int)e.StatusCode;
            var code = string.IsNullOrEmpty(e.ErrorCode) ? $"Http{status}" : e.ErrorCode;
            var throttled = Ec2Exception.IsThrottlingCode(code) || status == 503;
            throw new Ec2Exception(action, code, OneLine(e.Message), string.IsNullOrEmpty(e.RequestId) ? null : e.RequestId, status,
                throttled ? MaxAttempts : 1, e);
        }
        catch (AmazonClientException e)
        {
            // A reply the SDK could not read, or no reply at all: name the action and the endpoint.
            throw new Ec2Exception(action, "ClientError", OneLine(e.Message) + $" (endpoint {Endpoint})", null, 0, 1, e);
        }
    }

    private static string OneLine(string message)
    {
        var line = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= 300 ? line : line[..300] + "…";
    }

    public void Dispose() => sdk.Dispose();
}
