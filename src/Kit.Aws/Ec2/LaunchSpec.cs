using System.Globalization;

namespace Kit.Aws.Ec2;

/// <summary>What to launch: one instance of a type from an image, with its disk, access and tags.</summary>
public sealed record LaunchSpec(string ImageId, string InstanceType)
{
    public string? KeyName { get; init; }
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
    public string? SubnetId { get; init; }
    public string? AvailabilityZone { get; init; }
    /// <summary>The image's root device (from DescribeImages); needed to resize the root disk.</summary>
    public string? RootDeviceName { get; init; }
    public int? RootVolumeGiB { get; init; }
    /// <summary>The user-data script, plain text; the client base64-encodes it.</summary>
    public string? UserData { get; init; }
    public string? IamInstanceProfileName { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

public enum SpotRequestType { OneTime, Persistent }

public enum InterruptionBehavior { Terminate, Stop, Hibernate }

/// <summary>Spot market options; MaxPrice null means "up to the on-demand price" (AWS's default).</summary>
public sealed record SpotOptions(SpotRequestType Type, InterruptionBehavior Interruption, decimal? MaxPrice = null)
{
    /// <summary>From the words AWS and the CLI use: "one-time"/"persistent", "stop"/"terminate"/"hibernate".</summary>
    public static SpotOptions Parse(string type, string interruption, decimal? maxPrice = null) => new(
        type.ToLowerInvariant() switch
        {
            "one-time" or "onetime" => SpotRequestType.OneTime,
            "persistent" => SpotRequestType.Persistent,
            _ => throw new ArgumentException($"spot type '{type}': expected one-time or persistent"),
        },
        Enum.TryParse<InterruptionBehavior>(interruption, ignoreCase: true, out var b) && !int.TryParse(interruption, out _)
            ? b
            : throw new ArgumentException($"interruption behaviour '{interruption}': expected stop, terminate or hibernate"),
        maxPrice);

    public string TypeName => Type == SpotRequestType.Persistent ? "persistent" : "one-time";

    public string InterruptionName => Interruption.ToString().ToLowerInvariant();

    public string? MaxPriceText => MaxPrice?.ToString(CultureInfo.InvariantCulture);

    /// <summary>AWS refuses a persistent request whose instances terminate on interruption; say so before calling.</summary>
    public void Validate()
    {
        if (Type == SpotRequestType.Persistent && Interruption == InterruptionBehavior.Terminate)
            throw new ArgumentException(
                "A persistent spot request needs interruption behaviour 'stop' or 'hibernate' (AWS refuses 'terminate'); "
                + "use --spot-type one-time or --interruption stop.");
        if (MaxPrice is <= 0)
            throw new ArgumentException($"--max-price must be positive (got {MaxPriceText}).");
    }
}
