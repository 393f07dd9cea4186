using System.Text.Json;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// Reads the trainer's <see cref="CheckpointManifest"/> (manifest.json) as bytes, from a folder or a store, and
/// checks what the sync relies on; the trainer's own <see cref="CheckpointManifest.Verify"/> re-hashes every
/// file, which the upload deliberately does not (the trainer hashed them as it saved).
/// </summary>
public static class TrainerManifest
{
    public static CheckpointManifest Parse(byte[] json, string where)
    {
        CheckpointManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<CheckpointManifest>(json); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not a kit checkpoint manifest ({e.Message})", e); }
        if (manifest?.Files is null) throw new InvalidDataException($"{where}: empty checkpoint manifest");
        if (manifest.Format > CheckpointManifest.CurrentFormat)
            throw new InvalidDataException($"{where}: written by a newer kit (manifest format {manifest.Format}; this kit reads {CheckpointManifest.CurrentFormat})");
        foreach (var entry in manifest.Files)
        {
            if (entry.Name is null or "" or "." or ".." || entry.Name.IndexOfAny(['/', '\\']) >= 0 || entry.Name == CheckpointManifest.FileName)
                throw new InvalidDataException($"{where}: file name '{entry.Name}' is not a plain file of the checkpoint folder");
            if (entry.Bytes < 0 || entry.Sha256 is not { Length: 64 })
                throw new InvalidDataException($"{where}: {entry.Name} has no valid size and SHA-256");
        }
        return manifest;
    }

    /// <summary>The manifest a trainer's checkpoint folder holds; the folder is not a finished save without it.</summary>
    public static async Task<(CheckpointManifest Manifest, string Path)> ReadAsync(string folder, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(folder, CheckpointManifest.FileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"{folder}: no {CheckpointManifest.FileName} (not a finished trainer checkpoint)");
        return (Parse(await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false), path), path);
    }
}
