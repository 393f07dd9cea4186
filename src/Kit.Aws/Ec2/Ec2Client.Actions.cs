using System.Globalization;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace Kit.Aws.Ec2;

/// <summary>The EC2 actions the kit uses: each an AWSSDK.EC2 request built from the kit's records, and its reply mapped back.</summary>
public sealed partial class Ec2Client
{
    /// <summary>A bound on NextToken pages, in case a server loops.</summary>
    private const int MaxPages = 50;

    public async Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(
        IEnumerable<Ec2Filter>? filters = null, IEnumerable<string>? instanceIds = null, CancellationToken ct = default)
    {
        var found = new List<Ec2Instance>();
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new DescribeInstancesRequest { Filters = Filters(filters), InstanceIds = instanceIds?.ToList(), NextToken = token };
            var reply = await Call("DescribeInstances", c => c.DescribeInstancesAsync(request, ct)).ConfigureAwait(false);
            found.AddRange((reply.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(ToInstance));
            token = reply.NextToken;
            if (string.IsNullOrEmpty(token)) break;
        }
        return found;
    }

    /// <summary>RunInstances; with <paramref name="spot"/> the instance is a spot instance (one-time or persistent).</summary>
    public async Task<Ec2Instance> RunInstancesAsync(LaunchSpec spec, SpotOptions? spot = null, CancellationToken ct = default)
    {
        var request = RunInstancesRequest(spec, spot);
        var reply = await Call("RunInstances", c => c.RunInstancesAsync(request, ct)).ConfigureAwait(false);
        return reply.Reservation?.Instances?.Select(ToInstance).FirstOrDefault()
            ?? throw new Ec2Exception("RunInstances", "MalformedResponse", "the reply lists no instance", reply.ResponseMetadata?.RequestId, 200);
    }

    /// <summary>The RunInstances request itself, unsent: what <see cref="RunInstancesAsync"/> sends, and what a dry run shows.</summary>
    public static RunInstancesRequest RunInstancesRequest(LaunchSpec spec, SpotOptions? spot = null)
    {
        spot?.Validate();
        var request = new RunInstancesRequest
        {
            ImageId = spec.ImageId,
            InstanceType = InstanceType.FindValue(spec.InstanceType),
            MinCount = 1,
            MaxCount = 1,
            KeyName = spec.KeyName,
            SecurityGroupIds = spec.SecurityGroupIds.Count == 0 ? null : spec.SecurityGroupIds.ToList(),
            SubnetId = spec.SubnetId,
            Placement = spec.AvailabilityZone is null ? null : new Placement { AvailabilityZone = spec.AvailabilityZone },
            IamInstanceProfile = spec.IamInstanceProfileName is null ? null : new IamInstanceProfileSpecification { Name = spec.IamInstanceProfileName },
            UserData = UserData(spec),
            BlockDeviceMappings = RootDisk(spec),
            TagSpecifications = TagSpecifications(spec.Tags, ResourceType.Instance, ResourceType.Volume),
        };
        if (spot is not null)
        {
            request.InstanceMarketOptions = new InstanceMarketOptionsRequest
            {
                MarketType = MarketType.Spot,
                SpotOptions = new SpotMarketOptions
                {
                    SpotInstanceType = SpotInstanceType.FindValue(spot.TypeName),
                    InstanceInterruptionBehavior = InstanceInterruptionBehavior.FindValue(spot.InterruptionName),
                    MaxPrice = spot.MaxPriceText,
                },
            };
        }
        return request;
    }

    public async Task<IReadOnlyList<SpotInstanceRequest>> DescribeSpotInstanceRequestsAsync(
        IEnumerable<string>? requestIds = null, IEnumerable<Ec2Filter>? filters = null, CancellationToken ct = default)
    {
        var found = new List<SpotInstanceRequest>();
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new DescribeSpotInstanceRequestsRequest
            {
                SpotInstanceRequestIds = requestIds?.ToList(), Filters = Filters(filters), NextToken = token,
            };
            var reply = await Call("DescribeSpotInstanceRequests", c => c.DescribeSpotInstanceRequestsAsync(request, ct)).ConfigureAwait(false);
            found.AddRange((reply.SpotInstanceRequests ?? []).Select(ToSpotRequest));
            token = reply.NextToken;
            if (string.IsNullOrEmpty(token)) break;
        }
        return found;
    }

    /// <summary>Returns (request id, new state) pairs; a cancelled persistent request launches no replacement.</summary>
    public async Task<IReadOnlyList<(string RequestId, string State)>> CancelSpotInstanceRequestsAsync(
        IEnumerable<string> requestIds, CancellationToken ct = default)
    {
        var request = new CancelSpotInstanceRequestsRequest { SpotInstanceRequestIds = requestIds.ToList() };
        var reply = await Call("CancelSpotInstanceRequests", c => c.CancelSpotInstanceRequestsAsync(request, ct)).ConfigureAwait(false);
        return (reply.CancelledSpotInstanceRequests ?? [])
            .Select(r => (r.SpotInstanceRequestId ?? "", r.State?.Value ?? "unknown")).ToList();
    }

    /// <summary>CreateImage; with <paramref name="noReboot"/> the running training is not restarted (the disk may be mid-write).</summary>
    public async Task<string> CreateImageAsync(
        string instanceId, string name, string? description, bool noReboot = true,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken ct = default)
    {
        var request = new CreateImageRequest
        {
            InstanceId = instanceId, Name = name, Description = description, NoReboot = noReboot,
            TagSpecifications = tags is null ? null : TagSpecifications(tags, ResourceType.Image, ResourceType.Snapshot),
        };
        var reply = await Call("CreateImage", c => c.CreateImageAsync(request, ct)).ConfigureAwait(false);
        return reply.ImageId is { Length: > 0 } id
            ? id
            : throw new Ec2Exception("CreateImage", "MalformedResponse", "the reply has no imageId", reply.ResponseMetadata?.RequestId, 200);
    }

    public async Task<IReadOnlyList<Ec2Image>> DescribeImagesAsync(
        IEnumerable<string>? owners = null, IEnumerable<Ec2Filter>? filters = null, IEnumerable<string>? imageIds = null,
        CancellationToken ct = default)
    {
        var request = new DescribeImagesRequest { Owners = owners?.ToList(), Filters = Filters(filters), ImageIds = imageIds?.ToList() };
        var reply = await Call("DescribeImages", c => c.DescribeImagesAsync(request, ct)).ConfigureAwait(false);
        return (reply.Images ?? []).Select(ToImage).ToList();
    }

    public async Task<IReadOnlyList<Ec2Snapshot>> DescribeSnapshotsAsync(IEnumerable<string> snapshotIds, CancellationToken ct = default)
    {
        var request = new DescribeSnapshotsRequest { SnapshotIds = snapshotIds.ToList() };
        var reply = await Call("DescribeSnapshots", c => c.DescribeSnapshotsAsync(request, ct)).ConfigureAwait(false);
        return (reply.Snapshots ?? []).Select(s => new Ec2Snapshot(
            s.SnapshotId, s.VolumeId, s.State?.Value ?? "unknown",
            double.TryParse((s.Progress ?? "").TrimEnd('%'), CultureInfo.InvariantCulture, out var p) ? p : 0,
            s.VolumeSize, Utc(s.StartTime))).ToList();
    }

    public async Task CreateTagsAsync(IEnumerable<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        var request = new CreateTagsRequest { Resources = resourceIds.ToList(), Tags = Tags(tags) };
        await Call("CreateTags", c => c.CreateTagsAsync(request, ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Ec2StateChange>> StopInstancesAsync(IEnumerable<string> instanceIds, CancellationToken ct = default)
    {
        var request = new StopInstancesRequest { InstanceIds = instanceIds.ToList() };
        var reply = await Call("StopInstances", c => c.StopInstancesAsync(request, ct)).ConfigureAwait(false);
        return (reply.StoppingInstances ?? []).Select(ToStateChange).ToList();
    }

    public async Task<IReadOnlyList<Ec2StateChange>> TerminateInstancesAsync(IEnumerable<string> instanceIds, CancellationToken ct = default)
    {
        var request = new TerminateInstancesRequest { InstanceIds = instanceIds.ToList() };
        var reply = await Call("TerminateInstances", c => c.TerminateInstancesAsync(request, ct)).ConfigureAwait(false);
        return (reply.TerminatingInstances ?? []).Select(ToStateChange).ToList();
    }

    public async Task<IReadOnlyList<SpotPrice>> DescribeSpotPriceHistoryAsync(
        string instanceType, DateTime? startTime = null, string productDescription = "Linux/UNIX",
        string? availabilityZone = null, CancellationToken ct = default)
    {
        var found = new List<SpotPrice>();
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var request = new DescribeSpotPriceHistoryRequest
            {
                InstanceTypes = [instanceType], ProductDescriptions = [productDescription],
                AvailabilityZone = availabilityZone, StartTime = startTime?.ToUniversalTime(), NextToken = token,
            };
            var reply = await Call("DescribeSpotPriceHistory", c => c.DescribeSpotPriceHistoryAsync(request, ct)).ConfigureAwait(false);
            found.AddRange((reply.SpotPriceHistory ?? []).Select(p => new SpotPrice(
                p.InstanceType?.Value ?? "", p.AvailabilityZone ?? "", p.ProductDescription?.Value ?? "",
                decimal.Parse(p.Price ?? throw Missing("DescribeSpotPriceHistory", "spotPrice"), CultureInfo.InvariantCulture),
                Utc(p.Timestamp) ?? throw Missing("DescribeSpotPriceHistory", "timestamp"))));
            token = reply.NextToken;
            if (string.IsNullOrEmpty(token)) break;
        }
        return found;
    }

    private static List<Filter>? Filters(IEnumerable<Ec2Filter>? filters) =>
        filters?.Select(f => new Filter { Name = f.Name, Values = f.Values.ToList() }).ToList() is { Count: > 0 } list ? list : null;

    /// <summary>Tags in key order, so requests are reproducible.</summary>
    private static List<Tag> Tags(IReadOnlyDictionary<string, string> tags) =>
        tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new Tag(t.Key, t.Value)).ToList();

    private static List<TagSpecification>? TagSpecifications(IReadOnlyDictionary<string, string> tags, params ResourceType[] types) =>
        tags.Count == 0 ? null : types.Select(t => new TagSpecification { ResourceType = t, Tags = Tags(tags) }).ToList();

    private static string? UserData(LaunchSpec spec) =>
        spec.UserData is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(spec.UserData));

    private static List<BlockDeviceMapping>? RootDisk(LaunchSpec spec)
    {
        if (spec.RootVolumeGiB is not { } size) return null;
        var device = spec.RootDeviceName
            ?? throw new ArgumentException("RootDeviceName is required to size the root disk (DescribeImages gives it).");
        return [new BlockDeviceMapping
        {
            DeviceName = device,
            Ebs = new EbsBlockDevice { VolumeSize = size, VolumeType = VolumeType.Gp3, DeleteOnTermination = true },
        }];
    }

    private static IReadOnlyDictionary<string, string> TagMap(List<Tag>? tags) =>
        (tags ?? []).GroupBy(t => t.Key ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value ?? "", StringComparer.Ordinal);

    private static Ec2Instance ToInstance(Instance i) => new(
        i.InstanceId ?? throw Missing("DescribeInstances", "instanceId"),
        i.ImageId,
        i.State?.Name?.Value ?? "unknown",
        i.InstanceType?.Value,
        i.Placement?.AvailabilityZone,
        NullIfEmpty(i.PublicDnsName),
        NullIfEmpty(i.PublicIpAddress),
        NullIfEmpty(i.PrivateIpAddress),
        i.KeyName,
        Utc(i.LaunchTime),
        i.InstanceLifecycle?.Value,
        i.SpotInstanceRequestId,
        TagMap(i.Tags));

    private static Ec2Image ToImage(Image i) => new(
        i.ImageId ?? throw Missing("DescribeImages", "imageId"),
        i.Name,
        i.Description,
        i.State?.Value ?? "unknown",
        DateTime.TryParse(i.CreationDate, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var created)
            ? created : null,
        i.OwnerId,
        i.Architecture?.Value,
        i.RootDeviceName,
        (i.BlockDeviceMappings ?? []).Select(b => b.Ebs?.SnapshotId).OfType<string>().ToList(),
        TagMap(i.Tags));

    private static SpotInstanceRequest ToSpotRequest(Amazon.EC2.Model.SpotInstanceRequest r) => new(
        r.SpotInstanceRequestId ?? throw Missing("DescribeSpotInstanceRequests", "spotInstanceRequestId"),
        r.State?.Value ?? "unknown",
        r.Status?.Code,
        r.Status?.Message,
        r.Type?.Value,
        r.InstanceId,
        r.SpotPrice,
        r.InstanceInterruptionBehavior?.Value,
        r.LaunchedAvailabilityZone ?? r.LaunchSpecification?.Placement?.AvailabilityZone);

    private static Ec2StateChange ToStateChange(InstanceStateChange c) => new(
        c.InstanceId ?? throw Missing("StopInstances/TerminateInstances", "instanceId"),
        c.PreviousState?.Name?.Value ?? "unknown",
        c.CurrentState?.Name?.Value ?? "unknown");

    /// <summary>The SDK may hand back local times; the kit's records are UTC.</summary>
    private static DateTime? Utc(DateTime? d) => d switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        { } other => DateTime.SpecifyKind(other, DateTimeKind.Utc),
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static Ec2Exception Missing(string action, string element) =>
        new(action, "MalformedResponse", $"the reply lacks <{element}> where the 2016-11-15 API documents it", null, 200);
}
