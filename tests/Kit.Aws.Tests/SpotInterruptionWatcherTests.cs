using Kit.Aws.Metadata;
using Kit.Aws.Spot;
using Kit.Aws.Tests.Support;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>The watcher and the IMDSv2 client against a loopback metadata service (never 169.254.169.254).</summary>
public sealed class SpotInterruptionWatcherTests : IDisposable
{
    private readonly FakeImds imds = new();

    public void Dispose() => imds.Dispose();

    [Fact]
    public async Task Token_first_then_get_with_the_token_and_404_means_no_notice()
    {
        using var client = new InstanceMetadataClient(imds.BaseUri, TimeSpan.FromMinutes(10));

        Assert.Null(await client.GetMetadataAsync("spot/instance-action"));
        Assert.Null(await client.GetMetadataAsync("spot/instance-action"));

        var requests = imds.Requests.ToList();
        Assert.Equal(("PUT", "/latest/api/token"), (requests[0].Method, requests[0].Path));
        Assert.Equal("600", requests[0].Headers["x-aws-ec2-metadata-token-ttl-seconds"]);
        Assert.All(requests.Skip(1), r => Assert.StartsWith("token-1-", r.Headers["x-aws-ec2-metadata-token"]));
        Assert.Equal(1, imds.TokensIssued); // the token is reused while it lives
        Assert.Equal(0, imds.Unauthorized);
    }

    [Fact]
    public async Task A_401_on_an_expired_token_fetches_a_new_one_and_retries()
    {
        using var client = new InstanceMetadataClient(imds.BaseUri);
        Assert.Equal("us-west-2b", await client.GetMetadataAsync("placement/availability-zone"));

        imds.ExpireTokens();
        var identity = await InstanceIdentity.FetchAsync(client);

        Assert.Equal(1, imds.Unauthorized);
        Assert.Equal(2, imds.TokensIssued);
        Assert.Equal(new InstanceIdentity("i-0123456789abcdef0", "g4dn.xlarge", "us-west-2b", "us-west-2", "spot"), identity);
    }

    [Fact]
    public async Task A_request_without_a_token_is_refused_by_the_service()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(imds.BaseUri, "latest/meta-data/instance-id"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_notice_fires_the_event_and_cancels_the_token_at_the_first_poll_after_it()
    {
        var interval = TimeSpan.FromMilliseconds(300);
        using var client = new InstanceMetadataClient(imds.BaseUri);
        await using var watcher = new SpotInterruptionWatcher(client, interval);
        var fired = new TaskCompletionSource<SpotInterruptionNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.Interrupted += (_, n) => fired.TrySetResult(n);
        watcher.Start();

        // Training goes on for a few polls with no notice.
        await WaitUntil(() => imds.InstanceActionPolls >= 3, "three polls");
        Assert.False(watcher.Token.IsCancellationRequested);

        var terminateAt = DateTimeOffset.UtcNow.AddMinutes(2);
        imds.SetNotice("terminate", terminateAt);
        var notice = await HangGuard.Await(fired.Task, "the Interrupted event");

        // Within one poll interval, counted in polls rather than milliseconds (a loaded machine stretches those):
        // the first poll after the notice was set got it, and that one fired the event.
        Assert.Equal(imds.PollsBeforeNotice + 1, imds.FirstNoticePoll);
        Assert.True(watcher.Token.IsCancellationRequested);
        Assert.Equal("terminate", notice.Action);
        Assert.Equal(terminateAt.ToUnixTimeSeconds(), notice.Time.ToUnixTimeSeconds());
        Assert.Same(notice, watcher.Notice);
        Assert.Empty(imds.Errors);
    }

    [Fact]
    public async Task Failed_polls_are_reported_and_polling_goes_on()
    {
        imds.FailNext(2);
        using var client = new InstanceMetadataClient(imds.BaseUri);
        await using var watcher = new SpotInterruptionWatcher(client, TimeSpan.FromMilliseconds(50));
        var failures = 0;
        watcher.PollFailed += (_, _) => Interlocked.Increment(ref failures);
        watcher.Start();
        imds.SetNotice("stop", DateTimeOffset.UtcNow.AddMinutes(2));

        await HangGuard.Await(Task.Delay(Timeout.Infinite, watcher.Token).ContinueWith(_ => { }), "the watcher's token");

        Assert.Equal(2, failures);
        Assert.Equal("stop", watcher.Notice!.Action);
    }

    [Fact]
    public void A_notice_that_cannot_be_read_still_counts_as_two_minutes_left()
    {
        // Bracketed by the clock before and after the parse, not by a slack a loaded machine's pause could pass.
        var before = DateTimeOffset.UtcNow;
        var n = SpotInterruptionNotice.Parse("not json");
        var after = DateTimeOffset.UtcNow;
        Assert.Equal("unknown", n.Action);
        Assert.InRange(n.Time, before + TimeSpan.FromMinutes(2), after + TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromMinutes(2), n.TimeLeft(n.Time - TimeSpan.FromMinutes(2)));
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + HangGuard.Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, HangGuard.Message(what));
            await Task.Delay(20); // a poll interval
        }
    }
}
