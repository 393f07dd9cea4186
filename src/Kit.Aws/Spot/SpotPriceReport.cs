using System.Globalization;
using Kit.Aws.Ec2;
using Kit.Display;
using Kit.Display.Formatting;
using Kit.Display.Html;

namespace Kit.Aws.Spot;

/// <summary>
/// The spot price of one instance type in each of a region's zones: the latest price, the window's lowest
/// and highest, and the zone to launch in (cheapest now, ties broken by the steadier zone).
/// </summary>
[TypeFormatterSource(typeof(RenderableFormatterSource), PreferredMimeTypes = new[] { Rendering.Html, Rendering.Text })]
public sealed class SpotPriceReport : IRenderable
{
    public SpotPriceReport(string instanceType, string region, IEnumerable<SpotPrice> history)
    {
        InstanceType = instanceType;
        Region = region;
        Zones = history
            .Where(p => p.InstanceType == instanceType || p.InstanceType == "")
            .GroupBy(p => p.AvailabilityZone, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.MaxBy(p => p.Timestamp)!;
                return new ZonePrice(g.Key, latest.PricePerHour, latest.Timestamp, g.Min(p => p.PricePerHour), g.Max(p => p.PricePerHour));
            })
            .OrderBy(z => z.CurrentPerHour).ThenBy(z => z.HighestPerHour - z.LowestPerHour).ThenBy(z => z.Zone, StringComparer.Ordinal)
            .ToList();
    }

    public string InstanceType { get; }
    public string Region { get; }

    /// <summary>Cheapest first.</summary>
    public IReadOnlyList<ZonePrice> Zones { get; }

    /// <summary>The zone to launch in, or null when AWS reported no price (the type is not offered as spot here).</summary>
    public ZonePrice? Cheapest => Zones.Count > 0 ? Zones[0] : null;

    public static async Task<SpotPriceReport> FetchAsync(Ec2Client ec2, string instanceType, TimeSpan window, CancellationToken ct = default)
    {
        var history = await ec2.DescribeSpotPriceHistoryAsync(instanceType, DateTime.UtcNow - window, ct: ct).ConfigureAwait(false);
        return new SpotPriceReport(instanceType, ec2.Region, history);
    }

    public Table ToTable() => new(
        ["zone", "now $/h", "lowest $/h", "highest $/h", "as of (UTC)", ""],
        Zones.Select(z => new object?[]
        {
            z.Zone, Money(z.CurrentPerHour), Money(z.LowestPerHour), Money(z.HighestPerHour),
            z.AsOf.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), z == Cheapest ? "← picked" : "",
        }),
        $"Spot prices for {InstanceType} in {Region} (Linux/UNIX)");

    public IReadOnlyList<Rendering> Render() => Zones.Count == 0
        ? [new Rendering(Rendering.Text, $"No spot price for {InstanceType} in {Region}: it is not offered as spot there.")]
        : ToTable().Render();

    public override string ToString() => Render().First(r => r.MimeType == Rendering.Text).Content;

    internal static string Money(decimal d) => "$" + d.ToString("0.0000", CultureInfo.InvariantCulture);
}

public sealed record ZonePrice(string Zone, decimal CurrentPerHour, DateTime AsOf, decimal LowestPerHour, decimal HighestPerHour);
