using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Win32.SafeHandles;

namespace Kit.Training.Checkpoints;

/// <summary>
/// One kit process at a time trains in a run folder. RUN/.kit-lock is held open with an exclusive lock
/// (FileShare.None, which .NET makes a flock on Unix) for as long as the process trains, and says who holds it
/// (PID, host, command, since when). The kernel drops the lock when the process ends however it ends, so a
/// lock file left by a crash is stale exactly when it can be taken: the next run takes it over and says whose
/// it was. A clean end empties the file.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = ".kit-lock";

    private readonly FileStream _stream;
    private bool _disposed;

    private RunFolderLock(string path, FileStream stream) => (Path, _stream) = (path, stream);

    /// <summary>The lock file. Not re-entrant: a second run in the same process (two notebook cells) is refused too.</summary>
    public string Path { get; }

    /// <summary>
    /// Takes the run folder's lock, or throws <see cref="RunFolderInUseException"/> naming the process that
    /// holds it. <paramref name="log"/> hears when a stale lock (left by a process that did not end cleanly)
    /// is taken over.
    /// </summary>
    public static RunFolderLock Acquire(string runDirectory, string command, Action<string>? log = null)
    {
        var dir = System.IO.Path.GetFullPath(runDirectory);
        Directory.CreateDirectory(dir);
        var path = System.IO.Path.Combine(dir, FileName);
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path))
            {
                var holder = ReadHolder(path);
                throw new RunFolderInUseException(
                    $"{dir} is in use by {holder?.ToString() ?? "another kit process"}; wait for it to end, stop it " +
                    $"(Ctrl+C, or `touch {System.IO.Path.Combine(dir, "STOP")}`), or train into another folder", holder);
            }
            try
            {
                var previous = Parse(ReadAll(stream));
                if (previous is not null)
                    log?.Invoke($"Took over the run folder's lock {path}: it was left by {previous}, which ended without releasing it" +
                                (previous.Host == Environment.MachineName ? "" : " (if that machine still trains into this folder, stop one of the two)"));
                var me = new LockHolder(Environment.ProcessId, Environment.MachineName, command, DateTime.UtcNow);
                stream.SetLength(0);
                stream.Write(JsonSerializer.SerializeToUtf8Bytes(me, CheckpointManifest.Json));
                stream.Flush(flushToDisk: true);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            return new RunFolderLock(path, stream);
        }
    }

    /// <summary>Who holds (or last held) a run folder's lock; null when nobody wrote one.</summary>
    public static LockHolder? ReadHolder(string path)
    {
        try
        {
            // Opening through .NET would ask for a shared flock, which the holder's exclusive one refuses; a
            // plain open(2) reads the holder's note without taking part in the locking.
            if (OperatingSystem.IsWindows()) return null;
            var fd = open(path, 0 /* O_RDONLY */);
            if (fd < 0) return null;
            using var handle = new SafeFileHandle(fd, ownsHandle: true);
            using var stream = new FileStream(handle, FileAccess.Read);
            return Parse(ReadAll(stream));
        }
        catch (IOException) { return null; }
    }

    private static byte[] ReadAll(Stream stream)
    {
        stream.Position = 0;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static LockHolder? Parse(byte[] bytes)
    {
        if (bytes.Length == 0) return null;
        try { return JsonSerializer.Deserialize<LockHolder>(bytes, CheckpointManifest.Json); }
        catch (JsonException) { return null; }
    }

    /// <summary>Releases the lock: empties the note (a clean end leaves nothing to take over) and closes the file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _stream.SetLength(0);
            _stream.Flush(flushToDisk: true);
        }
        catch (IOException) { } // a full disk cannot stop a release; the kernel drops the lock on close anyway
        _stream.Dispose();
    }

    [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
}

/// <summary>The note in a run folder's lock file.</summary>
public sealed record LockHolder(
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("since_utc")] DateTime SinceUtc)
{
    public override string ToString() => $"process {ProcessId} on host {Host} ({Command}, since {SinceUtc:yyyy-MM-dd HH:mm:ss} UTC)";
}

/// <summary>Another process holds the run folder; <see cref="Holder"/> says which, when it could be read.</summary>
public sealed class RunFolderInUseException(string message, LockHolder? holder) : IOException(message)
{
    public LockHolder? Holder { get; } = holder;
}
