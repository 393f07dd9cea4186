using System.CommandLine;
using Kit.Aws.Spot;

namespace Kit.Cli.Commands.Aws;

/// <summary>`kit aws prices TYPE`: spot price history across the region's zones, the cheapest picked.</summary>
internal static class AwsPrices
{
    public static Command Create(AwsCliOptions options)
    {
        var type = new Argument<string>("instance-type") { Description = "e.g. g4dn.xlarge, g5.2xlarge, p3.2xlarge" };
        var days = new Option<double>("--days") { Description = "How far back to look.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("prices", "Show the spot price of an instance type in each zone of the region and pick the cheapest.") { type, days };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("prices", async () =>
        {
            using var ec2 = options.Connect(pr);
            var report = await SpotPriceReport.FetchAsync(ec2, pr.GetValue(type)!, TimeSpan.FromDays(pr.GetValue(days)), ct);
            Console.WriteLine(report.ToString());
            if (report.Cheapest is { } z)
                Console.WriteLine($"cheapest: {z.Zone} at ${z.CurrentPerHour:0.0000}/h");
            return report.Cheapest is null ? 1 : 0;
        }));
        return cmd;
    }
}
