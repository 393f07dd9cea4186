using System.Text.Json.Serialization;

namespace Kit.Training.Batching;

/// <summary>Where the data order stands: the next batch is batch <see cref="Batch"/> of epoch <see cref="Epoch"/>.</summary>
public sealed record DataPosition(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("batch")] int Batch);
