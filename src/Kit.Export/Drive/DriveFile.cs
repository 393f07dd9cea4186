using System.Text.Json.Serialization;

namespace Kit.Export.Drive;

/// <summary>The fields of a Drive v3 file resource the kit asks for.</summary>
public sealed record DriveFile(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("mimeType")] string? MimeType,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("md5Checksum")] string? Md5Checksum)
{
    public const string FolderMimeType = "application/vnd.google-apps.folder";
    public const string Fields = "id,name,mimeType,size,md5Checksum";

    public bool IsFolder => MimeType == FolderMimeType;
}

internal sealed record DriveFileList(
    [property: JsonPropertyName("files")] List<DriveFile>? Files,
    [property: JsonPropertyName("nextPageToken")] string? NextPageToken);

internal sealed record DriveAbout([property: JsonPropertyName("storageQuota")] DriveStorageQuota? StorageQuota);

/// <summary>about.storageQuota: byte counts (strings on the wire); no limit means unlimited storage.</summary>
public sealed record DriveStorageQuota(
    [property: JsonPropertyName("limit")] long? Limit,
    [property: JsonPropertyName("usage")] long? Usage)
{
    public long? Free => Limit is { } l ? Math.Max(0, l - (Usage ?? 0)) : null;
}

internal sealed record DriveNewFile(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parents")] string[] Parents,
    [property: JsonPropertyName("mimeType")] string? MimeType);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DriveFile))]
[JsonSerializable(typeof(DriveFileList))]
[JsonSerializable(typeof(DriveAbout))]
[JsonSerializable(typeof(DriveNewFile))]
internal sealed partial class DriveJson : JsonSerializerContext;
