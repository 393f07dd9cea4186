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
                if (await CostTracker.SinceLaunchAsync(ec2, vm, ct: ct) is { } cost)
                    Console.WriteLine($"  since launch, at today's spot price: {cost}");
            }
            else Console.WriteLine("  on demand");
            return 0;
        }));
        return cmd;
    }
}
