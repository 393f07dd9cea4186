using System.Globalization;
using Kit.Aws.Ec2;
using Kit.Aws.Metadata;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Aws.Spot;

/// <summary>
/// The run's cost so far: the spot price per hour × the time since the run (or this VM) started. The
/// training display shows it; <see cref="UpdatePrice"/> takes a fresh price when the market moves, and the
/// cost accrued at the old price is kept.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class CostTracker : IRenderable
{
    private readonly TimeProvider clock;
    private readonly object gate = new();
    private decimal accrued;
    private DateTimeOffset since;

    public CostTracker(string instanceType, string zone, decimal pricePerHour, TimeProvider? clock = null, decimal alreadySpent = 0)
    {
        InstanceType = instanceType;
        Zone = zone;
        PricePerHour = pricePerHour;
        this.clock = clock ?? TimeProvider.System;
        Started = since = this.clock.GetUtcNow();
        accrued = alreadySpent;
    }

    /// <summary>
    /// On the training VM: its type and zone from instance metadata, the current spot price from EC2 (the
    /// instance role needs ec2:DescribeSpotPriceHistory); null when this VM is not a spot instance or the
    /// type has no spot price in its zone. <paramref name="alreadySpent"/> carries a resumed run's cost over.
    /// </summary>
    public static async Task<CostTracker?> ForThisInstanceAsync(
        Ec2Client ec2, InstanceIdentity self, decimal alreadySpent = 0, CancellationToken ct = default)
    {
        if (!self.IsSpot) return null;
        var prices = await ec2.DescribeSpotPriceHistoryAsync(self.InstanceType, DateTime.UtcNow.AddHours(-6),
            availabilityZone: self.AvailabilityZone, ct: ct).ConfigureAwait(false);
        var latest = prices.Where(p => p.AvailabilityZone == self.AvailabilityZone).MaxBy(p => p.Timestamp);
        return latest is null ? null : new CostTracker(self.InstanceType, self.AvailabilityZone, latest.PricePerHour, alreadySpent: alreadySpent);
    }

    public string InstanceType { get; }
    public string Zone { get; }
    public decimal PricePerHour { get; private set; }
    public DateTimeOffset Started { get; }

    public TimeSpan Elapsed => clock.GetUtcNow() - Started;

    public decimal CostSoFar
    {
        get { lock (gate) return accrued + PricePerHour * (decimal)(clock.GetUtcNow() - since).TotalHours; }
    }

    public void UpdatePrice(decimal pricePerHour)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            accrued += PricePerHour * (decimal)(now - since).TotalHours;
            since = now;
            PricePerHour = pricePerHour;
        }
    }

    public override string ToString() =>
        $"{InstanceType} spot in {Zone}: {SpotPriceReport.Money(PricePerHour)}/h × {Elapsed.TotalHours.ToString("0.00", CultureInfo.InvariantCulture)} h = "
        + CostSoFar.ToString("$0.00", CultureInfo.InvariantCulture);

    public IReadOnlyList<Rendering> Render() => [new Rendering(Rendering.Text, ToString())];
}
