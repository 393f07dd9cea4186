namespace Kit.Torch.Formats;

/// <summary>One tensor's line in a safetensors header: its type, shape and byte range in the data section.</summary>
public sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
}
