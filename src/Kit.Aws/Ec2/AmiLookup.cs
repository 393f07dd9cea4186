namespace Kit.Aws.Ec2;

/// <summary>Picks an AMI by name pattern: the newest available one by CreationDate, as the console's "latest" does.</summary>
public static class AmiLookup
{
    /// <summary>
    /// AWS's GPU Deep Learning base AMI on Ubuntu 24.04 (NVIDIA driver, CUDA, Docker; the kit installs .NET itself):
    /// its C++ runtime (GCC 13's libstdc++) is new enough for the libtorch inside TorchSharp's CUDA package.
    /// </summary>
    public const string DefaultDeepLearningAmiName = "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 24.04) *";

    public static async Task<Ec2Image> NewestImageAsync(
        this Ec2Client ec2, string namePattern, string owner = "amazon", string architecture = "x86_64", CancellationToken ct = default)
    {
        var images = await ec2.DescribeImagesAsync([owner],
            [new Ec2Filter("name", namePattern), new Ec2Filter("state", "available"), new Ec2Filter("architecture", architecture)],
            ct: ct).ConfigureAwait(false);
        return Newest(images)
            ?? throw new InvalidOperationException($"No available {architecture} AMI owned by '{owner}' matches '{namePattern}' in {ec2.Region}.");
    }

    public static Ec2Image? Newest(IEnumerable<Ec2Image> images) =>
        images.Where(i => i.State == "available")
            .OrderByDescending(i => i.CreationDate ?? DateTime.MinValue)
            .ThenBy(i => i.ImageId, StringComparer.Ordinal)
            .FirstOrDefault();

    public static async Task<Ec2Image> GetImageAsync(this Ec2Client ec2, string imageId, CancellationToken ct = default)
    {
        var images = await ec2.DescribeImagesAsync(imageIds: [imageId], ct: ct).ConfigureAwait(false);
        return images.FirstOrDefault() ?? throw new InvalidOperationException($"AMI {imageId} not found in {ec2.Region}.");
    }
}
