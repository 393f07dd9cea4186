using System.Text;
using System.Xml.Linq;

namespace Kit.Aws.Ec2;

/// <summary>The EC2 actions the kit uses, each a request built with <see cref="Ec2Query"/> and a parsed reply.</summary>
public sealed partial class Ec2Client
{
    /// <summary>Follows nextToken so a large account's answer is complete (bounded, in case a server loops).</summary>
    private async Task<List<XElement>> PagedAsync(Func<Ec2Query> build, CancellationToken ct, int maxPages = 50)
    {
        var pages = new List<XElement>();
        string? token = null;
        do
        {
            var query = build();
            query.Add("NextToken", token);
            var root = await SendAsync(query, ct).ConfigureAwait(false);
            pages.Add(root);
            token = root.Text("nextToken");
        } while (!string.IsNullOrEmpty(token) && pages.Count < maxPages);
        return pages;
    }

    public async Task<IReadOnlyList<Ec2Instance>> DescribeInstancesAsync(
        IEnumerable<Ec2Filter>? filters = null, IEnumerable<string>? instanceIds = null, CancellationToken ct = default)
    {
        var filterList = filters?.ToList();
        var idList = instanceIds?.ToList();
        var pages = await PagedAsync(() => new Ec2Query("DescribeInstances").AddList("InstanceId", idList).AddFilters(filterList), ct)
            .ConfigureAwait(false);
        return pages.SelectMany(p => p.Items("reservationSet")).SelectMany(r => r.Items("instancesSet"))
            .Select(Ec2Xml.Instance).ToList();
    }

    /// <summary>RunInstances; with <paramref name="spot"/> the instance is a spot instance (one-time or persistent).</summary>
    public async Task<Ec2Instance> RunInstancesAsync(LaunchSpec spec, SpotOptions? spot = null, CancellationToken ct = default)
    {
        var root = await SendAsync(RunInstancesQuery(spec, spot), ct).ConfigureAwait(false);
        return root.Items("instancesSet").Select(Ec2Xml.Instance).FirstOrDefault()
            ?? throw new Ec2Exception("RunInstances", "MalformedResponse", "the reply lists no instance", root.Text("requestId"), 200);
    }

    /// <summary>The RunInstances request itself, unsent: what <see cref="RunInstancesAsync"/> sends, and what a dry run shows.</summary>
    public static Ec2Query RunInstancesQuery(LaunchSpec spec, SpotOptions? spot = null)
    {
        spot?.Validate();
        var query = new Ec2Query("RunInstances")
            .Add("MinCount", 1).Add("MaxCount", 1);
        AddLaunchSpec(query, "", spec);
        query.AddTagSpecifications(spec.Tags, "instance", "volume");
        if (spot is not null)
        {
            query.Add("InstanceMarketOptions.MarketType", "spot")
                .Add("InstanceMarketOptions.SpotOptions.SpotInstanceType", spot.TypeName)
                .Add("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", spot.InterruptionName)
                .Add("InstanceMarketOptions.SpotOptions.MaxPrice", spot.MaxPriceText);
        }
        return query;
    }

    public async Task<IReadOnlyList<SpotInstanceRequest>> RequestSpotInstancesAsync(
        LaunchSpec spec, SpotOptions spot, CancellationToken ct = default)
    {
        spot.Validate();
        var query = new Ec2Query("RequestSpotInstances")
            .Add("InstanceCount", 1)
            .Add("Type", spot.TypeName)
            .Add("InstanceInterruptionBehavior", spot.InterruptionName)
            .Add("SpotPrice", spot.MaxPriceText);
        AddLaunchSpec(query, "LaunchSpecification.", spec);
        query.AddTagSpecifications(spec.Tags, "spot-instances-request");
        var root = await SendAsync(query, ct).ConfigureAwait(false);
        return root.Items("spotInstanceRequestSet").Select(Ec2Xml.SpotRequest).ToList();
    }

    public async Task<IReadOnlyList<SpotInstanceRequest>> DescribeSpotInstanceRequestsAsync(
        IEnumerable<string>? requestIds = null, IEnumerable<Ec2Filter>? filters = null, CancellationToken ct = default)
    {
        var ids = requestIds?.ToList();
        var filterList = filters?.ToList();
        var pages = await PagedAsync(() => new Ec2Query("DescribeSpotInstanceRequests")
            .AddList("SpotInstanceRequestId", ids).AddFilters(filterList), ct).ConfigureAwait(false);
        return pages.SelectMany(p => p.Items("spotInstanceRequestSet")).Select(Ec2Xml.SpotRequest).ToList();
    }

    /// <summary>Returns (request id, new state) pairs; a cancelled persistent request launches no replacement.</summary>
    public async Task<IReadOnlyList<(string RequestId, string State)>> CancelSpotInstanceRequestsAsync(
        IEnumerable<string> requestIds, CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("CancelSpotInstanceRequests").AddList("SpotInstanceRequestId", requestIds), ct)
            .ConfigureAwait(false);
        return root.Items("spotInstanceRequestSet")
            .Select(i => (i.Text("spotInstanceRequestId") ?? "", i.Text("state") ?? "unknown")).ToList();
    }

    /// <summary>CreateImage; with <paramref name="noReboot"/> the running training is not restarted (the disk may be mid-write).</summary>
    public async Task<string> CreateImageAsync(
        string instanceId, string name, string? description, bool noReboot = true,
        IReadOnlyDictionary<string, string>? tags = null, CancellationToken ct = default)
    {
        var query = new Ec2Query("CreateImage")
            .Add("InstanceId", instanceId).Add("Name", name).Add("Description", description).Add("NoReboot", noReboot);
        if (tags is not null) query.AddTagSpecifications(tags, "image", "snapshot");
        var root = await SendAsync(query, ct).ConfigureAwait(false);
        return root.Text("imageId")
            ?? throw new Ec2Exception("CreateImage", "MalformedResponse", "the reply has no imageId", root.Text("requestId"), 200);
    }

    public async Task<IReadOnlyList<Ec2Image>> DescribeImagesAsync(
        IEnumerable<string>? owners = null, IEnumerable<Ec2Filter>? filters = null, IEnumerable<string>? imageIds = null,
        CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("DescribeImages")
            .AddList("Owner", owners).AddList("ImageId", imageIds).AddFilters(filters), ct).ConfigureAwait(false);
        return root.Items("imagesSet").Select(Ec2Xml.Image).ToList();
    }

    public async Task<IReadOnlyList<Ec2Snapshot>> DescribeSnapshotsAsync(IEnumerable<string> snapshotIds, CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("DescribeSnapshots").AddList("SnapshotId", snapshotIds), ct).ConfigureAwait(false);
        return root.Items("snapshotSet").Select(Ec2Xml.Snapshot).ToList();
    }

    public async Task CreateTagsAsync(IEnumerable<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("CreateTags").AddList("ResourceId", resourceIds).AddTags("Tag", tags), ct)
            .ConfigureAwait(false);
        if (root.Text("return") is "false")
            throw new Ec2Exception("CreateTags", "NotApplied", "EC2 answered return=false", root.Text("requestId"), 200);
    }

    public async Task<IReadOnlyList<Ec2StateChange>> StopInstancesAsync(IEnumerable<string> instanceIds, CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("StopInstances").AddList("InstanceId", instanceIds), ct).ConfigureAwait(false);
        return root.Items("instancesSet").Select(Ec2Xml.StateChange).ToList();
    }

    public async Task<IReadOnlyList<Ec2StateChange>> TerminateInstancesAsync(IEnumerable<string> instanceIds, CancellationToken ct = default)
    {
        var root = await SendAsync(new Ec2Query("TerminateInstances").AddList("InstanceId", instanceIds), ct).ConfigureAwait(false);
        return root.Items("instancesSet").Select(Ec2Xml.StateChange).ToList();
    }

    public async Task<IReadOnlyList<SpotPrice>> DescribeSpotPriceHistoryAsync(
        string instanceType, DateTime? startTime = null, string productDescription = "Linux/UNIX",
        string? availabilityZone = null, CancellationToken ct = default)
    {
        var pages = await PagedAsync(() => new Ec2Query("DescribeSpotPriceHistory")
            .Add("InstanceType.1", instanceType)
            .Add("ProductDescription.1", productDescription)
            .Add("AvailabilityZone", availabilityZone)
            .Add("StartTime", startTime), ct, maxPages: 20).ConfigureAwait(false);
        return pages.SelectMany(p => p.Items("spotPriceHistorySet")).Select(Ec2Xml.Price).ToList();
    }

    /// <summary>The launch fields shared by RunInstances (no prefix) and RequestSpotInstances (LaunchSpecification.).</summary>
    private static void AddLaunchSpec(Ec2Query query, string prefix, LaunchSpec spec)
    {
        query.Add(prefix + "ImageId", spec.ImageId)
            .Add(prefix + "InstanceType", spec.InstanceType)
            .Add(prefix + "KeyName", spec.KeyName)
            .AddList(prefix + "SecurityGroupId", spec.SecurityGroupIds)
            .Add(prefix + "SubnetId", spec.SubnetId)
            .Add(prefix + "Placement.AvailabilityZone", spec.AvailabilityZone)
            .Add(prefix + "IamInstanceProfile.Name", spec.IamInstanceProfileName)
            .Add(prefix + "UserData", spec.UserData is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(spec.UserData)));
        if (spec.RootVolumeGiB is { } size)
        {
            var device = spec.RootDeviceName
                ?? throw new ArgumentException("RootDeviceName is required to size the root disk (DescribeImages gives it).");
            query.Add(prefix + "BlockDeviceMapping.1.DeviceName", device)
                .Add(prefix + "BlockDeviceMapping.1.Ebs.VolumeSize", size)
                .Add(prefix + "BlockDeviceMapping.1.Ebs.VolumeType", "gp3")
                .Add(prefix + "BlockDeviceMapping.1.Ebs.DeleteOnTermination", true);
        }
    }
}
