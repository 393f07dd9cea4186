using System.CommandLine;
using System.Globalization;
using Kit.Aws.Ec2;
using Kit.Aws.Spot;

namespace Kit.Cli.Commands.Aws;

/// <summary>`kit aws status NAME`: the VM's state, address, spot request and what it costs now.</summary>
internal static class AwsStatus
{
    public static Command Create(AwsCliOptions options)
    {
        var name = new Argument<string>("name") { Description = "The VM's Name tag." };
        var cmd = new Command("status", "Show a training VM found by its Name tag.") { name };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard("status", async () =>
        {
            using var ec2 = options.Connect(pr);
            var vm = await ec2.FindByNameAsync(pr.GetValue(name)!, ct);
            Console.WriteLine($"{vm.Name}: {vm.InstanceId} {vm.State}");
            Console.WriteLine($"  type {vm.InstanceType} in {vm.AvailabilityZone}, image {vm.ImageId}, launched {vm.LaunchTime?.ToString("u", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"  address {vm.PublicDnsName ?? vm.PublicIpAddress ?? "(none)"}");
            if (vm.IsSpot && vm.SpotInstanceRequestId is { } sir)
            {
                var request = (await ec2.DescribeSpotInstanceRequestsAsync([sir], ct: ct)).FirstOrDefault();
                Console.WriteLine($"  spot request {sir}: {request?.Type} {request?.State} ({request?.StatusCode}), on interruption: {request?.InstanceInterruptionBehavior}");
                if (vm.InstanceType is { } type && vm.AvailabilityZone is { } zone)
                {
                    var prices = await SpotPriceReport.FetchAsync(ec2, type, TimeSpan.FromHours(6), ct);
                    var here = prices.Zones.FirstOrDefault(z => z.Zone == zone);
                    if (here is not null && vm.LaunchTime is { } launched && vm.State == "running")
                    {
                        var hours = (DateTime.UtcNow - launched).TotalHours;
                        Console.WriteLine($"  spot price now ${here.CurrentPerHour:0.0000}/h; since launch ({hours:0.0} h) about ${here.CurrentPerHour * (decimal)hours:0.00} at today's price");
                    }
                }
            }
            else Console.WriteLine("  on demand");
            return 0;
        }));
        return cmd;
    }
}
