using System.Globalization;
using Kit.Aws.Ec2;
using Kit.Display;
using Kit.Display.Formatting;

namespace Kit.Aws.Spot;

/// <summary>
/// A spot VM's cost so far: the spot price per hour × the time since it started (<see cref="SinceLaunchAsync"/>:
/// its launch), the one way the kit computes it (`kit aws status`, notebook aws/01). <see cref="UpdatePrice"/>
/// takes a fresh price when the market moves, and the cost accrued at the old price is kept.
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class CostTracker : IRenderable
{
    private readonly TimeProvider clock;
    private readonly object gate = new();
    private decimal accrued;
    private DateTimeOffset since;

    /// <param name="started">When the VM started costing (its launch); null: now.</param>
    public CostTracker(string instanceType, string zone, decimal pricePerHour, TimeProvider? clock = null, decimal alreadySpent = 0,
        DateTimeOffset? started = null)
    {
        InstanceType = instanceType;
        Zone = zone;
        PricePerHour = pricePerHour;
        this.clock = clock ?? TimeProvider.System;
        Started = since = started ?? this.clock.GetUtcNow();
        accrued = alreadySpent;
    }

    /// <summary>
    /// A running spot VM's cost since its launch at its zone's spot price now (EC2's price history of the last
    /// 6 hours); null when it is not a running spot instance or its type has no spot price in its zone.
    /// </summary>
    public static async Task<CostTracker?> SinceLaunchAsync(Ec2Client ec2, Ec2Instance vm, TimeProvider? clock = null, CancellationToken ct = default)
    {
        if (!vm.IsSpot || vm.State != "running" || vm.LaunchTime is not { } launched
            || vm.InstanceType is not { } type || vm.AvailabilityZone is not { } zone)
            return null;
        var prices = await SpotPriceReport.FetchAsync(ec2, type, TimeSpan.FromHours(6), ct).ConfigureAwait(false);
        return prices.Zones.FirstOrDefault(z => z.Zone == zone) is { } here
            ? new CostTracker(type, zone, here.CurrentPerHour, clock, started: new DateTimeOffset(DateTime.SpecifyKind(launched, DateTimeKind.Utc)))
            : null;
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
