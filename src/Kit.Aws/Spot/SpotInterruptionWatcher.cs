using System.Globalization;
using System.Text.Json;
using Kit.Aws.Metadata;

namespace Kit.Aws.Spot;

/// <summary>
/// Watches for AWS's two-minute spot interruption notice: polls <c>spot/instance-action</c> in the instance
/// metadata (404 until a notice exists) every <see cref="Interval"/> (AWS advises 5 s). On a notice it
/// raises <see cref="Interrupted"/> once and cancels <see cref="Token"/>, which the trainer observes to save a
/// checkpoint, sync it and stop before the VM goes. A failed poll is reported through
/// <see cref="PollFailed"/> and polling goes on: one lost answer must not end the watch.
/// </summary>
public sealed class SpotInterruptionWatcher : IAsyncDisposable
{
    public const string InstanceActionPath = "spot/instance-action";

    private readonly InstanceMetadataClient imds;
    private readonly CancellationTokenSource interrupted = new();
    private readonly CancellationTokenSource stop = new();
    private Task? loop;

    public SpotInterruptionWatcher(InstanceMetadataClient imds, TimeSpan? interval = null)
    {
        this.imds = imds;
        Interval = interval ?? TimeSpan.FromSeconds(5);
        if (Interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "the poll interval must be positive");
    }

    public TimeSpan Interval { get; }

    /// <summary>Cancelled when a notice arrives.</summary>
    public CancellationToken Token => interrupted.Token;

    /// <summary>The notice, once one has arrived.</summary>
    public SpotInterruptionNotice? Notice { get; private set; }

    public int Polls { get; private set; }

    public event EventHandler<SpotInterruptionNotice>? Interrupted;

    public event EventHandler<Exception>? PollFailed;

    /// <summary>Starts polling in the background (the first poll is immediate).</summary>
    public SpotInterruptionWatcher Start()
    {
        loop ??= Task.Run(() => RunAsync(stop.Token));
        return this;
    }

    /// <summary>One poll: the notice if there is one now. Also what the loop calls.</summary>
    public async Task<SpotInterruptionNotice?> PollOnceAsync(CancellationToken ct = default)
    {
        var body = await imds.GetMetadataAsync(InstanceActionPath, ct).ConfigureAwait(false);
        Polls++;
        return body is null ? null : SpotInterruptionNotice.Parse(body);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    if (await PollOnceAsync(ct).ConfigureAwait(false) is { } notice)
                    {
                        Notice = notice;
                        Interrupted?.Invoke(this, notice);
                        await interrupted.CancelAsync().ConfigureAwait(false);
                        return;
                    }
                }
                catch (Exception e) when (!ct.IsCancellationRequested) { PollFailed?.Invoke(this, e); }
            } while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            try { await loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        stop.Dispose();
        interrupted.Dispose();
    }
}

/// <summary>AWS's notice: <c>{"action": "terminate"|"stop"|"hibernate", "time": "2017-09-18T08:22:00Z"}</c>.</summary>
public sealed record SpotInterruptionNotice(string Action, DateTimeOffset Time)
{
    public TimeSpan TimeLeft(DateTimeOffset now) => Time - now;

    public static SpotInterruptionNotice Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var action = doc.RootElement.GetProperty("action").GetString() ?? "";
            var time = DateTimeOffset.Parse(doc.RootElement.GetProperty("time").GetString() ?? "", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal);
            return new SpotInterruptionNotice(action, time);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            // A notice we cannot read is still a notice: act as if the VM goes in two minutes.
            return new SpotInterruptionNotice("unknown", DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2));
        }
    }
}
