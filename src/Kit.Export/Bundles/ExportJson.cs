using System.Text.Json.Serialization;

namespace Kit.Export.Bundles;

/// <summary>The JSON shapes the exporter reads and writes: snake_case, as the trainer's Python peers expect.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BestCheckpoint))]
[JsonSerializable(typeof(BundleManifest))]
// The trainer's manifest travels inside the bundle's; its entry type shares a name with the bundle's, so it gets its own.
[JsonSerializable(typeof(Kit.Training.Checkpoints.CheckpointManifest), TypeInfoPropertyName = "TrainerManifest")]
[JsonSerializable(typeof(IReadOnlyList<Kit.Training.Checkpoints.ManifestEntry>), TypeInfoPropertyName = "TrainerManifestEntries")]
[JsonSerializable(typeof(Kit.Training.Checkpoints.ManifestEntry), TypeInfoPropertyName = "TrainerManifestEntry")]
[JsonSerializable(typeof(ExportState))]
internal sealed partial class ExportJson : JsonSerializerContext;
