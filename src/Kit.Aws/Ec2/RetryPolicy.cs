namespace Kit.Aws.Ec2;

/// <summary>
/// Bounded exponential backoff with full jitter (AWS's advice for throttling): before retry n the client
/// waits a random time in [0, min(MaxDelay, BaseDelay × 2^n)).
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryPolicy Default { get; } = new(6, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));

    public TimeSpan DelayBefore(int retry, Random random)
    {
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}
