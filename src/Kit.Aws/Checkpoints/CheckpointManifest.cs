using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// The marker that makes a stored checkpoint complete: <c>step-NNNNNNNNNNNN/kit-checkpoint.json</c> listing
/// every file with its size and SHA-256. Step folders are zero-padded so they sort by step.
/// </summary>
public static class CheckpointManifest
{
    public const string FileName = "kit-checkpoint.json";
    public const string FolderPrefix = "step-";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FolderFor(long step) => FolderPrefix + step.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>The step of a "step-N/kit-checkpoint.json" path, or null for any other path.</summary>
    public static long? StepOfManifestPath(string relativePath)
    {
        var parts = relativePath.Split('/');
        return parts is [var folder, FileName] && folder.StartsWith(FolderPrefix, StringComparison.Ordinal)
               && long.TryParse(folder[FolderPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            ? step
            : null;
    }

    public static byte[] Serialize(StoredCheckpoint checkpoint) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dto(1, checkpoint.Step, checkpoint.CreatedUtc, checkpoint.Files, checkpoint.LocalName), Json);

    public static StoredCheckpoint Deserialize(byte[] json, string folder, string where)
    {
        Dto dto;
        try { dto = JsonSerializer.Deserialize<Dto>(json, Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not a kit checkpoint manifest ({e.Message})", e); }
        if (dto.Format != 1) throw new InvalidDataException($"{where}: manifest format {dto.Format}; this kit reads format 1");
        if (dto.LocalName is { } name && (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0))
            throw new InvalidDataException($"{where}: localName '{name}' is not a plain folder name");
        return new StoredCheckpoint(dto.Step, folder, dto.CreatedUtc, dto.Files ?? [], dto.LocalName);
    }

    private sealed record Dto(int Format, long Step, DateTime CreatedUtc, IReadOnlyList<CheckpointFile>? Files, string? LocalName);
}
