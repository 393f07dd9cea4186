using Kit.Display;
namespace Kit.Training.Checkpoints;

/// <summary>Free space where the run folder lives, checked before a save starts rather than discovered halfway.</summary>
public static class DiskSpace
{
    public static long FreeBytes(string folder)
    {
        var existing = Path.GetFullPath(folder);
        while (!Directory.Exists(existing)) existing = Path.GetDirectoryName(existing) ?? "/";
        // On Unix DriveInfo asks statvfs about exactly the path given, so this is the run folder's own file system.
        var free = new DriveInfo(existing).AvailableFreeSpace;
        return DiskLimit.FreeBytes(folder) is { } limited ? Math.Min(free, limited) : free;
    }

    /// <summary>
    /// The room a write of <paramref name="needed"/> bytes asks for: 5% more (file-system blocks and metadata,
    /// and the JSON files beside the weights), at least 1 MiB. Sized to the checkpoint: a fixed margin of tens of
    /// MiB refused small checkpoints on a disk with room for them.
    /// </summary>
    public static long WithMargin(long needed) => needed + Math.Max(needed / 20, 1L << 20);

    /// <summary>Throws a message a person can act on when <paramref name="needed"/> bytes (plus a margin) do not fit.</summary>
    public static void EnsureRoom(string folder, long needed, string what)
    {
        var margin = WithMargin(needed) - needed;
        var free = FreeBytes(folder);
        if (free < needed + margin)
            throw new InsufficientSpaceException(
                $"Not enough disk space to save {what} in {folder}: it needs about {ByteSize.Format(needed + margin)} " +
                $"and only {ByteSize.Format(free)} is free. Free some space (old runs, or lower keep_last_checkpoints) and the " +
                "save is retried; training continues meanwhile.", needed + margin, free);
    }

}
