using System.Text.Json.Serialization;

namespace Kit.Export.Bundles;

/// <summary>The JSON shapes the exporter reads and writes: snake_case, as the trainer's Python peers expect.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BestCheckpoint))]
[JsonSerializable(typeof(BundleManifest))]
[JsonSerializable(typeof(ExportState))]
internal sealed partial class ExportJson : JsonSerializerContext;
