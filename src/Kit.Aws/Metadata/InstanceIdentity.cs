namespace Kit.Aws.Metadata;

/// <summary>What the VM knows about itself: used to price the run and to name what it uploads.</summary>
public sealed record InstanceIdentity(string InstanceId, string InstanceType, string AvailabilityZone, string Region, string LifeCycle)
{
    public bool IsSpot => LifeCycle == "spot";

    public static async Task<InstanceIdentity> FetchAsync(InstanceMetadataClient imds, CancellationToken ct = default)
    {
        async Task<string> Get(string path) =>
            (await imds.GetMetadataAsync(path, ct).ConfigureAwait(false))?.Trim()
            ?? throw new InstanceMetadataException($"instance metadata has no {path}");
        return new InstanceIdentity(
            await Get("instance-id"), await Get("instance-type"), await Get("placement/availability-zone"), await Get("placement/region"),
            (await imds.GetMetadataAsync("instance-life-cycle", ct).ConfigureAwait(false))?.Trim() ?? "on-demand");
    }
}
