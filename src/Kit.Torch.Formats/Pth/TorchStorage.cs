namespace Kit.Torch.Formats;

/// <summary>One storage record of a .pth archive (<c>archive/data/KEY</c>): a flat run of elements that
/// one or more tensors view. Bytes are read on demand so that a large file is read once, straight into
/// the tensors that need it.</summary>
internal abstract class TorchStorage(string key, DType dtype, long elementCount)
{
    public string Key { get; } = key;
    public DType DType { get; } = dtype;
    public long ElementCount { get; } = elementCount;

    /// <summary>Fills <paramref name="destination"/> from the storage, starting at a byte offset.</summary>
    public abstract void Read(long byteOffset, Span<byte> destination);
}
