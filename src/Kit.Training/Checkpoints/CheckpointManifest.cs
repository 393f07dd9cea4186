using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kit.Training.Checkpoints;

/// <summary>
/// The last file written into a checkpoint: every other file's size and SHA-256. A checkpoint without it, or
/// whose files do not match it, is incomplete or damaged and is never resumed from.
/// </summary>
public sealed record CheckpointManifest(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("created_utc")] DateTime CreatedUtc,
    [property: JsonPropertyName("files")] IReadOnlyList<ManifestEntry> Files)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormat = 1;

    /// <summary>
    /// The options of every JSON file in a checkpoint, written and read. A NaN or infinite number (a validation
    /// that diverged, kept in state.json's metric history) is written as "NaN" or "Infinity" rather than
    /// failing the save, since the checkpoint of a run going wrong is the one most worth keeping.
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public long TotalBytes => Files.Sum(f => f.Bytes);

    /// <summary>A file's entry: its size and <see cref="FileSha256"/>.</summary>
    public static ManifestEntry Describe(string folder, string name)
    {
        var (size, sha256) = FileSha256.Of(Path.Combine(folder, name));
        return new ManifestEntry(name, size, sha256);
    }

    /// <summary>
    /// Reads a checkpoint folder's manifest without hashing the files (export hashes them itself, once);
    /// null with the reason when there is none or it cannot be read.
    /// </summary>
    public static CheckpointManifest? Read(string folder, out string? problem)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) { problem = "no manifest (the save did not finish)"; return null; }
        CheckpointManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { problem = $"{path}: unreadable manifest ({e.Message})"; return null; }
        if (manifest is null || manifest.Files is null) { problem = $"{path}: empty manifest"; return null; }
        if (manifest.Format > CurrentFormat) { problem = $"{path}: written by a newer kit (format {manifest.Format})"; return null; }
        foreach (var entry in manifest.Files)
        {
            if (entry.Name is null || entry.Sha256 is null || entry.Name.Contains('/') || entry.Name.Contains('\\') || entry.Name is "." or "..")
            { problem = $"{path}: not a checkpoint manifest (a file entry without a plain name or checksum)"; return null; }
        }
        problem = null;
        return manifest;
    }

    /// <summary>Why a file's measured size and SHA-256 do not match its entry; null when they do.</summary>
    public static string? Mismatch(string file, ManifestEntry entry, long bytes, string sha256) =>
        bytes != entry.Bytes ? $"{file} has {bytes} bytes, the manifest says {entry.Bytes}"
        : !string.Equals(sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase) ? $"{file} does not match its checksum (damaged)"
        : null;

    /// <summary>Reads and checks a checkpoint folder; returns null with the reason when it cannot be trusted.</summary>
    public static CheckpointManifest? Verify(string folder, out string? problem)
    {
        var manifest = Read(folder, out problem);
        if (manifest is null) return null;
        foreach (var entry in manifest.Files)
        {
            var file = Path.Combine(folder, entry.Name);
            if (!File.Exists(file)) { problem = $"{file} is missing"; return null; }
            var actual = Describe(folder, entry.Name);
            if (Mismatch(file, entry, actual.Bytes, actual.Sha256) is { } why) { problem = why; return null; }
        }
        problem = null;
        return manifest;
    }
}

public sealed record ManifestEntry(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);
