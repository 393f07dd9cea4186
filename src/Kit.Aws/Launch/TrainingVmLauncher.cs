using Kit.Aws.Ec2;
using Kit.Aws.Spot;

namespace Kit.Aws.Launch;

/// <summary>Everything `kit aws launch` decides: what to run, where, and how the spot market may treat it.</summary>
public sealed record TrainingVmRequest(string Name, string InstanceType, TrainingRunSettings Run)
{
    /// <summary>An AMI id; when null, the newest image matching <see cref="AmiNamePattern"/> owned by <see cref="AmiOwner"/>.</summary>
    public string? ImageId { get; init; }
    public string AmiNamePattern { get; init; } = AmiLookup.DefaultDeepLearningAmiName;
    public string AmiOwner { get; init; } = "amazon";
    public int DiskGiB { get; init; } = 200;
    public string? KeyName { get; init; }
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
    public string? IamInstanceProfileName { get; init; }
    /// <summary>A zone; when null, the zone with the lowest current spot price.</summary>
    public string? AvailabilityZone { get; init; }
    /// <summary>Null launches on demand.</summary>
    public SpotOptions? Spot { get; init; } = new(SpotRequestType.Persistent, InterruptionBehavior.Stop);
}

public sealed record TrainingVmLaunch(Ec2Instance Instance, Ec2Image Image, SpotPriceReport? Prices, string? Zone);

/// <summary>Starts a training VM: picks the image and zone, renders the boot script, runs the instance.</summary>
public static class TrainingVmLauncher
{
    public static async Task<TrainingVmLaunch> LaunchAsync(Ec2Client ec2, TrainingVmRequest request, Action<string>? log = null,
        CancellationToken ct = default)
    {
        log ??= _ => { };
        request.Spot?.Validate();
        var existing = await ec2.DescribeInstancesAsync(
            [Ec2Filter.Tag("Name", request.Name), new Ec2Filter("instance-state-name", InstanceLookup.LiveStates)], ct: ct).ConfigureAwait(false);
        if (existing.Count > 0)
            throw new InvalidOperationException(
                $"an instance named '{request.Name}' already exists ({existing[0].InstanceId}, {existing[0].State}); "
                + "pick another name or terminate it first (`kit aws terminate " + request.Name + "`).");

        var image = request.ImageId is { } id
            ? await ec2.GetImageAsync(id, ct).ConfigureAwait(false)
            : await ec2.NewestImageAsync(request.AmiNamePattern, request.AmiOwner, ct: ct).ConfigureAwait(false);
        log($"image {image.ImageId} ({image.Name}, {image.CreationDate:yyyy-MM-dd})");

        SpotPriceReport? prices = null;
        var zone = request.AvailabilityZone;
        if (request.Spot is not null)
        {
            prices = await SpotPriceReport.FetchAsync(ec2, request.InstanceType, TimeSpan.FromDays(1), ct).ConfigureAwait(false);
            if (zone is null)
            {
                zone = prices.Cheapest?.Zone
                    ?? throw new InvalidOperationException($"{request.InstanceType} has no spot price in {ec2.Region}: it is not offered as spot there.");
                log($"zone {zone} at {SpotPriceReport.Money(prices.Cheapest!.CurrentPerHour)}/h (cheapest of {prices.Zones.Count})");
            }
        }

        var spec = Spec(request, image.ImageId, image.RootDeviceName, zone);
        var instance = await ec2.RunInstancesAsync(spec, request.Spot, ct).ConfigureAwait(false);
        log($"instance {instance.InstanceId} {instance.State}" + (request.Spot is null ? " (on demand)" : $" (spot, {request.Spot.TypeName}, {request.Spot.InterruptionName} on interruption)"));
        return new TrainingVmLaunch(instance, image, prices, zone);
    }

    /// <summary>
    /// The launch without AWS (a dry run): the RunInstances request and boot script that <see cref="LaunchAsync"/>
    /// would send. What only AWS knows is a placeholder: the AMI id when none is given, and the cheapest zone
    /// unless <paramref name="zone"/> (e.g. from a price report) or the request names one.
    /// </summary>
    public static LaunchPlan Plan(TrainingVmRequest request, string? zone = null)
    {
        request.Spot?.Validate();
        var imageId = request.ImageId ?? $"(newest '{request.AmiNamePattern}' owned by {request.AmiOwner})";
        zone ??= request.AvailabilityZone ?? (request.Spot is null ? null : "(the cheapest spot zone at launch)");
        // The root device name comes from the image; /dev/sda1 is what the Deep Learning AMIs use.
        var spec = Spec(request, imageId, "/dev/sda1", zone);
        return new LaunchPlan(request, spec, Ec2Client.RunInstancesRequest(spec, request.Spot));
    }

    private static LaunchSpec Spec(TrainingVmRequest request, string imageId, string? rootDevice, string? zone) =>
        new(imageId, request.InstanceType)
        {
            KeyName = request.KeyName,
            SecurityGroupIds = request.SecurityGroupIds,
            AvailabilityZone = zone,
            RootDeviceName = rootDevice,
            RootVolumeGiB = request.DiskGiB,
            IamInstanceProfileName = request.IamInstanceProfileName,
            UserData = UserDataScript.Render(request.Run),
            Tags = new Dictionary<string, string> { ["Name"] = request.Name, ["kit:run"] = request.Run.RunName },
        };
}
