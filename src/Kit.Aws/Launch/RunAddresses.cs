using Kit.Training.Checkpoints;

namespace Kit.Aws.Launch;

/// <summary>
/// Where a run keeps what outlives its VMs, under one prefix per run, laid out like a run folder:
/// PREFIX/NAME/checkpoints/step-NNNNNNNNN/ (the trainer's folders) and PREFIX/NAME/dataset/ (content-addressed).
/// </summary>
public sealed record RunAddresses(string Run)
{
    public const string DatasetFolder = "dataset";

    /// <summary>From `--checkpoints s3://bucket/runs` and the run's name.</summary>
    public static RunAddresses For(string prefix, string runName)
    {
        if (string.IsNullOrWhiteSpace(runName) || runName.Contains('/'))
            throw new ArgumentException($"run name '{runName}' must be a non-empty name without '/'");
        return new(prefix.TrimEnd('/') + "/" + runName);
    }

    public string Checkpoints => $"{Run}/{CheckpointFiles.CheckpointsFolder}";

    public string Dataset => $"{Run}/{DatasetFolder}";

    /// <summary>
    /// The kit checkout this code runs from (build/kit/Kit.Aws.dll lives under it): the folder up from the
    /// assembly that holds Kit.sln, or null when the kit runs from elsewhere.
    /// </summary>
    public static string? KitCheckout()
    {
        for (var dir = Path.GetDirectoryName(typeof(RunAddresses).Assembly.Location); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Kit.sln"))) return dir;
        return null;
    }

    /// <summary>
    /// Where the dataset goes on the VM so the run config's paths still hold there: inside this checkout it keeps
    /// its place relative to the checkout (the VM clones the kit into <paramref name="kitDirOnVm"/>); outside, it
    /// keeps its absolute path.
    /// </summary>
    public static string DatasetDirOnVm(string localDataset, string? checkoutRoot, string kitDirOnVm)
    {
        var full = Path.GetFullPath(localDataset).TrimEnd(Path.DirectorySeparatorChar);
        if (checkoutRoot is not null)
        {
            var root = Path.GetFullPath(checkoutRoot).TrimEnd(Path.DirectorySeparatorChar);
            if (full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return kitDirOnVm.TrimEnd('/') + "/" + Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/');
        }
        return full.Replace(Path.DirectorySeparatorChar, '/');
    }
}
