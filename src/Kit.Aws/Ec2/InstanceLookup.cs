namespace Kit.Aws.Ec2;

/// <summary>Finds the kit's VM by its Name tag, the way the AWS guide's `describe-instances --filters Name=tag:Name` does.</summary>
public static class InstanceLookup
{
    /// <summary>States in which an instance still exists and can be imaged, stopped or terminated.</summary>
    public static readonly string[] LiveStates = ["pending", "running", "stopping", "stopped"];

    public static async Task<Ec2Instance> FindByNameAsync(this Ec2Client ec2, string name, CancellationToken ct = default)
    {
        var found = await ec2.DescribeInstancesAsync(
            [Ec2Filter.Tag("Name", name), new Ec2Filter("instance-state-name", LiveStates)], ct: ct).ConfigureAwait(false);
        return found.Count switch
        {
            0 => throw new InstanceNotFoundException(
                $"No live instance named '{name}' in {ec2.Region} (states {string.Join("/", LiveStates)}). "
                + "Check the name and the region (AWS_REGION / --region)."),
            1 => found[0],
            _ => throw new InstanceNotFoundException(
                $"{found.Count} instances are named '{name}' in {ec2.Region}: "
                + string.Join(", ", found.Select(i => $"{i.InstanceId} ({i.State})")) + ". Rename or terminate the extra ones."),
        };
    }
}

public sealed class InstanceNotFoundException(string message) : Exception(message);
