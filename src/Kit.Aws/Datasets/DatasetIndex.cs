using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kit.Aws.Datasets;

/// <summary>
/// index.json of a run's dataset in its store: each file of the dataset folder by relative path, with the
/// size and SHA-256 that name its object (blobs/SHA256). Written after every object it names, so a store
/// whose index is there holds the whole dataset. (Not a checkpoint manifest: a dataset has subfolders and no step.)
/// </summary>
public sealed record DatasetIndex(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("created_utc")] DateTime CreatedUtc,
    [property: JsonPropertyName("files")] IReadOnlyList<DatasetFile> Files)
{
    public const string FileName = "index.json";
    public const string BlobsFolder = "blobs";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public long TotalBytes => Files.Sum(f => f.Bytes);

    public static string BlobPath(string sha256) => $"{BlobsFolder}/{sha256}";

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static DatasetIndex Parse(byte[] json, string where)
    {
        DatasetIndex? index;
        try { index = JsonSerializer.Deserialize<DatasetIndex>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"{where}: not a kit dataset index ({e.Message})", e); }
        if (index?.Files is null) throw new InvalidDataException($"{where}: empty dataset index");
        if (index.Format > CurrentFormat) throw new InvalidDataException($"{where}: written by a newer kit (format {index.Format})");
        foreach (var f in index.Files)
        {
            if (string.IsNullOrEmpty(f.Path) || f.Path.StartsWith('/') || f.Path.Contains('\\') || f.Path.Split('/').Any(p => p is "" or "." or ".."))
                throw new InvalidDataException($"{where}: path '{f.Path}' is not a plain path inside the dataset folder");
            if (f.Sha256 is not { Length: 64 } || f.Sha256.Any(c => !char.IsAsciiHexDigitLower(c)))
                throw new InvalidDataException($"{where}: {f.Path} has no valid SHA-256");
        }
        return index;
    }
}

/// <summary>One file of a dataset folder: path relative to it (forward slashes), size, SHA-256 (lowercase hex).</summary>
public sealed record DatasetFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("sha256")] string Sha256);
