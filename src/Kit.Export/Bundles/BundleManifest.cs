using System.Reflection;
using System.Text.Json;
using Kit.Training.Checkpoints;

namespace Kit.Export.Bundles;

/// <summary>
/// manifest.json: what a bundle holds, so an import on another machine can check every byte. Written to the
/// destination last: a bundle without its manifest is an unfinished export.
/// </summary>
public sealed record BundleManifest(
    string KitVersion,
    string Run,
    long Step,
    double? ValLoss,
    DateTimeOffset Created,
    bool WithTrainingState,
    IReadOnlyList<ManifestEntry> Files)
{
    public const string FileName = "manifest.json";

    /// <summary>
    /// The trainer's manifest of the exported step (written when the step was saved): the export checked every
    /// checkpoint file against it, and an import checks the weights against it again. Null in bundles from
    /// kits that did not carry it.
    /// </summary>
    public CheckpointManifest? Checkpoint { get; init; }

    public static string CurrentKitVersion =>
        typeof(BundleManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(BundleManifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    public long TotalBytes => Files.Sum(f => f.Size);

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ExportJson.Default.BundleManifest);

    public static BundleManifest Parse(byte[] json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ExportJson.Default.BundleManifest)
                   ?? throw new InvalidDataException("empty manifest");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a kit bundle manifest (line {e.LineNumber + 1}: {e.Message})", e);
        }
    }
}

/// <summary>One file in the manifest: its path inside the bundle, size and checksums.</summary>
public sealed record ManifestEntry(string Path, long Size, string Sha256, string Md5);
