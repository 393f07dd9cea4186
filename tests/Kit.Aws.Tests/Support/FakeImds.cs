using System.Collections.Concurrent;

namespace Kit.Aws.Tests.Support;

/// <summary>
/// A loopback instance metadata service that enforces IMDSv2: GETs need a token from PUT /latest/api/token
/// (which needs a TTL header), else 401; spot/instance-action is 404 until a notice is set.
/// </summary>
public sealed class FakeImds : IDisposable
{
    private readonly LoopbackServer server;
    private readonly ConcurrentDictionary<string, bool> validTokens = new();
    private int issued;
    private readonly object polls = new();
    private string? notice;
    private volatile int failNext;

    public FakeImds()
    {
        server = new LoopbackServer(Handle);
    }

    public Uri BaseUri => server.BaseUri;

    public int TokensIssued => issued;

    public int Unauthorized { get; private set; }

    public int InstanceActionPolls { get { lock (polls) return instanceActionPolls; } }
    private int instanceActionPolls;

    /// <summary>The polls of spot/instance-action answered before the notice was set.</summary>
    public int PollsBeforeNotice { get { lock (polls) return pollsBeforeNotice; } }
    private int pollsBeforeNotice;

    /// <summary>Which poll (1, 2, ...) first got the notice; null while none has.</summary>
    public int? FirstNoticePoll { get { lock (polls) return firstNoticePoll; } }
    private int? firstNoticePoll;

    public Dictionary<string, string> Metadata { get; } = new()
    {
        ["instance-id"] = "i-0123456789abcdef0", ["instance-type"] = "g4dn.xlarge",
        ["placement/availability-zone"] = "us-west-2b", ["placement/region"] = "us-west-2", ["instance-life-cycle"] = "spot",
    };

    public IEnumerable<SeenRequest> Requests => server.Requests;

    public IEnumerable<Exception> Errors => server.HandlerErrors;

    /// <summary>AWS's notice body, as the VM sees it two minutes before it goes.</summary>
    public void SetNotice(string action, DateTimeOffset time)
    {
        lock (polls)
        {
            notice = $"{{\"action\": \"{action}\", \"time\": \"{time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"}}";
            pollsBeforeNotice = instanceActionPolls;
            firstNoticePoll = null;
        }
    }

    /// <summary>No notice any more (another VM, which has not been told to go).</summary>
    public void SetNoNotice()
    {
        lock (polls) notice = null;
    }

    /// <summary>Every token issued so far stops working (as when its TTL runs out).</summary>
    public void ExpireTokens() => validTokens.Clear();

    /// <summary>The next <paramref name="count"/> metadata GETs fail with 500.</summary>
    public void FailNext(int count) => failNext = count;

    private Reply Handle(SeenRequest r)
    {
        var path = r.Path.Split('?')[0];
        if (path == "/latest/api/token")
        {
            if (r.Method != "PUT") return new Reply(405, "", "text/plain");
            if (!int.TryParse(r.Headers.GetValueOrDefault("x-aws-ec2-metadata-token-ttl-seconds"), out var ttl) || ttl is < 1 or > 21600)
                return new Reply(400, "", "text/plain");
            var token = $"token-{Interlocked.Increment(ref issued)}-{Guid.NewGuid():N}";
            validTokens[token] = true;
            return new Reply(200, token, "text/plain");
        }
        if (!path.StartsWith("/latest/meta-data/", StringComparison.Ordinal)) return new Reply(404, "", "text/plain");
        if (r.Method != "GET") return new Reply(405, "", "text/plain");
        if (r.Headers.GetValueOrDefault("x-aws-ec2-metadata-token") is not { } t || !validTokens.ContainsKey(t))
        {
            Unauthorized++;
            return new Reply(401, "", "text/plain");
        }
        if (failNext > 0) { failNext--; return new Reply(500, "", "text/plain"); }
        var key = path["/latest/meta-data/".Length..];
        if (key == "spot/instance-action")
        {
            lock (polls)
            {
                instanceActionPolls++;
                if (notice is null) return new Reply(404, "", "text/plain");
                firstNoticePoll ??= instanceActionPolls;
                return new Reply(200, notice, "text/plain");
            }
        }
        return Metadata.TryGetValue(key, out var value) ? new Reply(200, value, "text/plain") : new Reply(404, "", "text/plain");
    }

    public void Dispose() => server.Dispose();
}
