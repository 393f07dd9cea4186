using System.Runtime.InteropServices;

namespace Kit.Training.Checkpoints;

/// <summary>
/// Writes that either land whole or not at all: a temp file in the same folder, written and fsynced, then
/// renamed over the target and the folder fsynced, so a kill or power loss at any moment leaves the old
/// file or the new one, never half of one.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Writes through <paramref name="write"/> into a temp file, then moves it into place durably.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            DiskLimit.EnsureWithin(temp);
            File.Move(temp, full, overwrite: true);
            SyncDirectory(dir);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Renames a finished folder into place and makes the rename durable.</summary>
    public static void MoveDirectory(string from, string to)
    {
        Directory.Move(from, to);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(to))!);
    }

    /// <summary>
    /// fsync on the folder itself: without it a rename can be lost on power failure even though the file's
    /// data was synced. Windows has no equivalent (and needs none for NTFS's journaled metadata).
    /// </summary>
    public static void SyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = open(dir, 0 /* O_RDONLY */);
        if (fd < 0) return; // some file systems refuse to open folders; the rename still happened
        try { fsync(fd); } finally { close(fd); }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    [DllImport("libc", SetLastError = true)] private static extern int fsync(int fd);
    [DllImport("libc")] private static extern int close(int fd);
}
