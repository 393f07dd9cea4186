using System.Collections.Concurrent;

namespace Kit.Training.Checkpoints;

/// <summary>
/// A test seam that makes a folder behave like a small disk, so the full-disk paths run on any machine without
/// mounting a tmpfs: writes into the folder fail with "No space left on device" (ENOSPC, as the kernel reports
/// it) once the files under it exceed the limit, and the free space the kit sees is what is left. It counts the
/// files that are really there, so deleting a checkpoint makes room as it would on a real disk. Set in-process
/// with <see cref="Set"/>, or for a `kit train` child process with KIT_TEST_DISK_LIMIT_BYTES (applied to its
/// run folder). Without either, every check here is one dictionary lookup that finds nothing.
/// </summary>
public static class DiskLimit
{
    public const string Variable = "KIT_TEST_DISK_LIMIT_BYTES";
    private const int Enospc = 28;
    private static readonly ConcurrentDictionary<string, long> Limits = new(StringComparer.Ordinal);

    /// <summary>Limits the files under <paramref name="folder"/> to <paramref name="bytes"/> in all; a later call changes the limit.</summary>
    public static void Set(string folder, long bytes) => Limits[Normalize(folder)] = bytes;

    public static void Clear(string folder) => Limits.TryRemove(Normalize(folder), out _);

    /// <summary>The limit from <see cref="Variable"/>, for a run folder trained by a child process.</summary>
    internal static void ApplyFromEnvironment(string runDirectory)
    {
        if (long.TryParse(Environment.GetEnvironmentVariable(Variable), out var bytes)) Set(runDirectory, bytes);
    }

    /// <summary>Bytes left under the limit that covers <paramref name="path"/>; null when none does.</summary>
    public static long? FreeBytes(string path) => Find(path) is { } f ? Math.Max(0, f.Limit - Used(f.Folder)) : null;

    /// <summary>Throws ENOSPC when <paramref name="bytes"/> more would not fit (before a write).</summary>
    internal static void EnsureFits(string path, long bytes)
    {
        if (Find(path) is { } f && Used(f.Folder) + bytes > f.Limit) throw Full(path);
    }

    /// <summary>Throws ENOSPC when what is already written went past the limit (after a write, as a real disk fails mid-file).</summary>
    internal static void EnsureWithin(string path)
    {
        if (Find(path) is { } f && Used(f.Folder) > f.Limit) throw Full(path);
    }

    private static IOException Full(string path) => new($"No space left on device : '{path}'", Enospc);

    private static (string Folder, long Limit)? Find(string path)
    {
        if (Limits.IsEmpty) return null;
        var full = Normalize(path);
        foreach (var (folder, limit) in Limits)
            if (full == folder || full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return (folder, limit);
        return null;
    }

    private static long Used(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
}
