namespace Kit.Training.Checkpoints;

/// <summary>Free space where the run folder lives, checked before a save starts rather than discovered halfway.</summary>
public static class DiskSpace
{
    public static long FreeBytes(string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        // On Unix DriveInfo asks statvfs about exactly the path given, so this is the run folder's own file system.
        return new DriveInfo(existing).AvailableFreeSpace;
    }

    /// <summary>Throws a message a person can act on when <paramref name="needed"/> bytes (plus a margin) do not fit.</summary>
    public static void EnsureRoom(string folder, long needed, string what)
    {
        var margin = Math.Max(needed / 10, 64L << 20);
        var free = FreeBytes(folder);
        if (free < needed + margin)
            throw new InsufficientDiskSpaceException(
                $"Not enough disk space to save {what} in {folder}: it needs about {Format(needed + margin)} " +
                $"and only {Format(free)} is free. Free some space (old runs, or lower KeepLastCheckpoints) and the " +
                "next save will go ahead; training continues meanwhile.", needed + margin, free);
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} B",
    };
}

public sealed class InsufficientDiskSpaceException(string message, long needed, long free) : IOException(message)
{
    public long NeededBytes { get; } = needed;
    public long FreeBytes { get; } = free;
}
