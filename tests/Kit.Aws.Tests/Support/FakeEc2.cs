using System.Collections.Concurrent;
using Kit.Aws.Ec2;

namespace Kit.Aws.Tests.Support;

/// <summary>
/// A loopback EC2 endpoint for AWSSDK.EC2 (its ServiceURL points here): checks every request (POST form body, Action, Version 2016-11-15, a well-formed
/// SigV4 Authorization header whose signature verifies independently, region and service in the scope)
/// and answers with the reply registered for its action.
/// </summary>
public sealed class FakeEc2 : IDisposable
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private readonly ConcurrentDictionary<string, Func<IReadOnlyDictionary<string, string>, Reply>> actions = new();
    private readonly LoopbackServer server;

    private readonly string accessKey;
    private readonly string secretKey;

    /// <param name="accessKey">The key pair requests must be signed with (a test sharing keys with s3rver passes S3RVER's).</param>
    public FakeEc2(string region = "us-west-2", string accessKey = AccessKey, string secretKey = SecretKey)
    {
        Region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        server = new LoopbackServer(Handle);
    }

    public string Region { get; }

    public Uri Endpoint => server.BaseUri;

    /// <summary>Each call's form parameters, in order.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Calls { get; } = new();

    /// <summary>An AWSSDK.EC2 client whose ServiceURL is this server.</summary>
    public Ec2Client Client(int maxAttempts = 4) =>
        new(AwsSession.WithKeys(Region, accessKey, secretKey), server.BaseUri, maxAttempts);

    public void On(string action, Func<IReadOnlyDictionary<string, string>, Reply> reply) => actions[action] = reply;

    public void On(string action, string xml) => On(action, _ => new Reply(200, xml));

    public IReadOnlyDictionary<string, string> LastCall(string action) =>
        Calls.Last(c => c.GetValueOrDefault("Action") == action);

    public void AssertNoCheckFailed()
    {
        Assert.True(server.HandlerErrors.IsEmpty, "the fake EC2 rejected a request: " + string.Join("\n", server.HandlerErrors.Select(e => e.Message)));
    }

    private Reply Handle(SeenRequest request)
    {
        if (request.Method != "POST") throw new InvalidOperationException($"EC2 Query calls are POSTs, got {request.Method}");
        if (!(request.Headers.GetValueOrDefault("content-type") ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
            throw new InvalidOperationException("the body must be application/x-www-form-urlencoded");
        var auth = SigV4Verifier.Verify(request, secretKey);
        if (auth.AccessKey != accessKey) throw new InvalidOperationException($"credential key {auth.AccessKey}");
        if (auth.Region != Region) throw new InvalidOperationException($"credential scope region {auth.Region}, expected {Region}");
        if (auth.Service != "ec2") throw new InvalidOperationException($"credential scope service {auth.Service}, expected ec2");

        var form = ParseForm(request.BodyText);
        Calls.Enqueue(form);
        if (form.GetValueOrDefault("Version") != "2016-11-15")
            throw new InvalidOperationException($"Version={form.GetValueOrDefault("Version")}");
        var action = form.GetValueOrDefault("Action") ?? throw new InvalidOperationException("no Action parameter");
        return actions.TryGetValue(action, out var reply)
            ? reply(form)
            : new Reply(400, Ec2Replies.Error("InvalidAction", $"The action {action} is not valid for this web service."));
    }

    /// <summary>Decodes the form body independently of the client (duplicate names are a client bug).</summary>
    public static Dictionary<string, string> ParseForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(pair[..eq].Replace('+', ' '));
            var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!form.TryAdd(name, value)) throw new InvalidOperationException($"parameter {name} sent twice");
        }
        return form;
    }

    public void Dispose() => server.Dispose();
}
