using System.Globalization;
using System.Text.RegularExpressions;
using Kit.Aws.Ec2;

namespace Kit.Aws.Launch;

/// <summary>
/// Images a training VM (the guide's `create-image`), named and described after the run, then follows the
/// image's snapshots to <c>available</c> (the guide sends people to the console for that; it can take from a
/// few minutes to an hour and a half).
/// </summary>
public static partial class ImageBuilder
{
    /// <summary>"kit NAME step N 2026-11-21T2334Z": unique per region, only characters AMI names allow.</summary>
    public static string ImageName(string runName, long? step, DateTime utcNow)
    {
        var name = $"kit {runName}" + (step is null ? "" : $" step {step}") + " " + utcNow.ToString("yyyy-MM-dd'T'HHmm'Z'", CultureInfo.InvariantCulture);
        name = NotAllowedInAmiName().Replace(name, "-");
        return name.Length <= 128 ? name : name[..128];
    }

    public static string Description(string runName, string? experiment, long? step, string? link)
    {
        var text = $"Kit training run {runName}"
            + (experiment is null ? "" : $", experiment {experiment}")
            + (step is null ? "" : $", at {step} steps")
            + "." + (link is null ? "" : " " + link);
        return text.Length <= 255 ? text : text[..255];
    }

    public static async Task<string> CreateAsync(
        Ec2Client ec2, Ec2Instance instance, string runName, string? experiment, long? step, string? link, CancellationToken ct = default)
    {
        var tags = new Dictionary<string, string> { ["Name"] = runName, ["kit:run"] = runName };
        if (experiment is not null) tags["kit:experiment"] = experiment;
        if (step is not null) tags["kit:step"] = step.Value.ToString(CultureInfo.InvariantCulture);
        return await ec2.CreateImageAsync(instance.InstanceId, ImageName(runName, step, DateTime.UtcNow),
            Description(runName, experiment, step, link), noReboot: true, tags, ct).ConfigureAwait(false);
    }

    /// <summary>Polls until the image is available; reports the snapshots' mean progress. Throws if it fails.</summary>
    public static async Task<Ec2Image> FollowAsync(
        Ec2Client ec2, string imageId, IProgress<ImageProgress> progress, TimeSpan pollInterval, CancellationToken ct = default)
    {
        while (true)
        {
            // A just-created image may not be listed yet, or even be "not found" (EC2 is eventually
            // consistent): treat both as pending.
            Ec2Image? image;
            try { image = (await ec2.DescribeImagesAsync(imageIds: [imageId], ct: ct).ConfigureAwait(false)).FirstOrDefault(); }
            catch (Ec2Exception e) when (e.Code == "InvalidAMIID.NotFound") { image = null; }
            var state = image?.State ?? "pending";
            IReadOnlyList<Ec2Snapshot> snapshots = image is { SnapshotIds.Count: > 0 }
                ? await ec2.DescribeSnapshotsAsync(image.SnapshotIds, ct).ConfigureAwait(false)
                : [];
            var percent = state == "available" ? 100 : snapshots.Count == 0 ? 0 : snapshots.Average(s => s.Progress);
            progress.Report(new ImageProgress(imageId, state, percent, snapshots));
            switch (state)
            {
                case "available":
                    return image!;
                case "failed" or "invalid" or "deregistered" or "error":
                    throw new InvalidOperationException($"image {imageId} ended {state}"
                        + (snapshots.FirstOrDefault(s => s.State == "error") is { } bad ? $" (snapshot {bad.SnapshotId} failed)" : ""));
            }
            await Task.Delay(pollInterval, ct).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"[^A-Za-z0-9()\[\] ./'@_-]")]
    private static partial Regex NotAllowedInAmiName();
}

/// <summary>One look at an image being created: its state and its snapshots' mean progress (0–100).</summary>
public sealed record ImageProgress(string ImageId, string State, double Percent, IReadOnlyList<Ec2Snapshot> Snapshots);
