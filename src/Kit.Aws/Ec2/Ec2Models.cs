namespace Kit.Aws.Ec2;

/// <summary>One EC2 instance as DescribeInstances/RunInstances report it.</summary>
public sealed record Ec2Instance(
    string InstanceId,
    string? ImageId,
    string State,
    string? InstanceType,
    string? AvailabilityZone,
    string? PublicDnsName,
    string? PublicIpAddress,
    string? PrivateIpAddress,
    string? KeyName,
    DateTime? LaunchTime,
    string? Lifecycle,
    string? SpotInstanceRequestId,
    IReadOnlyDictionary<string, string> Tags)
{
    public string? Name => Tags.GetValueOrDefault("Name");
    public bool IsSpot => Lifecycle == "spot";
}

/// <summary>A state change reported by StopInstances/TerminateInstances.</summary>
public sealed record Ec2StateChange(string InstanceId, string PreviousState, string CurrentState);

/// <summary>An AMI.</summary>
public sealed record Ec2Image(
    string ImageId,
    string? Name,
    string? Description,
    string State,
    DateTime? CreationDate,
    string? OwnerId,
    string? Architecture,
    string? RootDeviceName,
    IReadOnlyList<string> SnapshotIds,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>An EBS snapshot; <see cref="Progress"/> is 0–100.</summary>
public sealed record Ec2Snapshot(string SnapshotId, string? VolumeId, string State, double Progress, int? VolumeSizeGiB, DateTime? StartTime);

/// <summary>A spot instance request (RequestSpotInstances / DescribeSpotInstanceRequests).</summary>
public sealed record SpotInstanceRequest(
    string SpotInstanceRequestId,
    string State,
    string? StatusCode,
    string? StatusMessage,
    string? Type,
    string? InstanceId,
    string? SpotPrice,
    string? InstanceInterruptionBehavior,
    string? AvailabilityZone);

/// <summary>One point of spot price history.</summary>
public sealed record SpotPrice(string InstanceType, string AvailabilityZone, string ProductDescription, decimal PricePerHour, DateTime Timestamp);

/// <summary>One DescribeX filter: <c>tag:Name</c> = [values], <c>instance-state-name</c> = [running, stopped].</summary>
public sealed record Ec2Filter(string Name, params string[] Values)
{
    public static Ec2Filter Tag(string key, params string[] values) => new($"tag:{key}", values);
}
