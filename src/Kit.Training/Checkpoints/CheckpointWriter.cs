using System.Text.Json;

namespace Kit.Training.Checkpoints;

/// <summary>
/// Hands out the files of one checkpoint being saved. Everything goes into a hidden partial folder that
/// becomes visible (by one rename) only after every file is synced and the manifest is written last.
/// </summary>
public sealed class CheckpointWriter
{
    private readonly List<string> _names = [];

    internal CheckpointWriter(string folder) => Folder = folder;

    /// <summary>The partial folder; the files' final folder has another name.</summary>
    public string Folder { get; }

    public IReadOnlyList<string> Names => _names;

    public void Write(string name, Action<Stream> write) => WriteSynced(Claim(name), write);

    /// <summary>The manifest: written last, by the store, and not listed in itself.</summary>
    internal void WriteManifest(CheckpointManifest manifest) =>
        WriteSynced(Path.Combine(Folder, CheckpointManifest.FileName), s => JsonSerializer.Serialize(s, manifest, CheckpointManifest.Json));

    private static void WriteSynced(string path, Action<Stream> write)
    {
        using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(fs);
            fs.Flush(flushToDisk: true);
        }
        DiskLimit.EnsureWithin(path);
    }

    /// <summary>For writers that want a path (the tensor engine's save): the file is synced after it returns.</summary>
    public void WriteToPath(string name, Action<string> write)
    {
        var path = Claim(name);
        write(path);
        if (!File.Exists(path)) throw new IOException($"the checkpoint writer for {name} did not create {path}");
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            fs.Flush(flushToDisk: true);
        DiskLimit.EnsureWithin(path);
    }

    public void WriteJson<T>(string name, T value) =>
        Write(name, s => JsonSerializer.Serialize(s, value, CheckpointManifest.Json));

    private string Claim(string name)
    {
        if (name.Contains('/') || name.Contains('\\') || name == CheckpointManifest.FileName)
            throw new ArgumentException($"'{name}' is not a valid checkpoint file name", nameof(name));
        if (_names.Contains(name)) throw new ArgumentException($"{name} is written twice in one checkpoint", nameof(name));
        _names.Add(name);
        return Path.Combine(Folder, name);
    }
}
