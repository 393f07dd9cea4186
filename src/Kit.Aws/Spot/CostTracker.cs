using System.Globalization;
using Kit.Display;

namespace Kit.Aws.Spot;

/// <summary>
/// The run's cost so far: the spot price per hour × the time since the run (or this VM) started. The
/// training display shows it; <see cref="UpdatePrice"/> takes a fresh price when the market moves, and the
/// cost accrued at the old price is kept.
/// </summary>
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
