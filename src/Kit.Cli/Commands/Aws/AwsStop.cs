using System.CommandLine;
using Kit.Aws.Ec2;

namespace Kit.Cli.Commands.Aws;

/// <summary>`kit aws stop NAME` and `kit aws terminate NAME`.</summary>
internal static class AwsStop
{
    public static Command Create(AwsCliOptions options, bool terminate)
    {
        var verb = terminate ? "terminate" : "stop";
        var name = new Argument<string>("name") { Description = "The VM's Name tag." };
        var cmd = new Command(verb, terminate
            ? "Terminate a training VM (its disk is deleted; checkpoints synced to S3 stay) and cancel its spot request."
            : "Stop a training VM (its disk stays; `kit train` resumes when it starts again).") { name };
        cmd.SetAction((pr, ct) => AwsCliOptions.Guard(verb, async () =>
        {
            using var ec2 = options.Connect(pr);
            var vm = await ec2.FindByNameAsync(pr.GetValue(name)!, ct);
            if (terminate && vm.SpotInstanceRequestId is { } sir)
            {
                // A persistent request would launch a replacement for the terminated instance: cancel it first.
                foreach (var (id, state) in await ec2.CancelSpotInstanceRequestsAsync([sir], ct))
                    Console.WriteLine($"spot request {id}: {state}");
            }
            var changes = terminate
                ? await ec2.TerminateInstancesAsync([vm.InstanceId], ct)
                : await ec2.StopInstancesAsync([vm.InstanceId], ct);
            foreach (var c in changes)
                Console.WriteLine($"{vm.Name} {c.InstanceId}: {c.PreviousState} → {c.CurrentState}");
            return 0;
        }));
        return cmd;
    }
}
