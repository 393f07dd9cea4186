namespace Kit.Torch.Formats.Tests;

/// <summary>Strided views into storages against a per-element reference computed from the definition.</summary>
public class StridedCopyTests
{
    private sealed class ArrayStorage(int[] values) : TorchStorage("0", DType.Int32, values.Length)
    {
        public override void Read(long byteOffset, Span<byte> destination) =>
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).Slice((int)byteOffset, destination.Length).CopyTo(destination);
    }

    private static int[] Reference(int[] storage, long offset, long[] size, long[] stride)
    {
        var n = (int)RawTensor.ElementCountOf(size);
        var result = new int[n];
        for (var flat = 0; flat < n; flat++)
        {
            long rest = flat, at = offset;
            for (var d = size.Length - 1; d >= 0; d--) { at += rest % size[d] * stride[d]; rest /= size[d]; }
            result[flat] = storage[at];
        }
        return result;
    }

    public static TheoryData<long, long[], long[]> Views => new()
    {
        { 0, [4, 6], [6, 1] },          // contiguous
        { 0, [6, 4], [1, 6] },          // transposed
        { 7, [3, 3], [6, 2] },          // offset, step 2
        { 0, [2, 3, 4], [1, 8, 2] },    // permuted 3-d
        { 5, [3, 1, 2], [4, 1, 1] },    // size-1 dimension with an arbitrary stride
        { 0, [0, 5], [5, 1] },          // empty
        { 3, [], [] },                  // 0-d scalar
        { 2, [4, 3], [0, 1] },          // broadcast (stride 0), as expand() saves
        { 3, [70, 45], [1, 70] },       // transposed, larger than one copy tile, with partial tiles
        { 0, [3, 33, 40], [1320, 1, 33] },  // a batch of transposed matrices
        { 1, [5, 7, 9, 11], [1, 5, 35, 315] },  // fully reversed strides, 4-d
    };

    [Theory]
    [MemberData(nameof(Views))]
    public void Gathers_like_the_definition(long offset, long[] size, long[] stride)
    {
        var values = Enumerable.Range(100, 4000).ToArray();
        var bytes = StridedCopy.Contiguous(new ArrayStorage(values), offset, size, stride);
        Assert.Equal(Reference(values, offset, size, stride), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray());
    }

    [Fact]
    public void A_view_past_its_storage_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => StridedCopy.Contiguous(new ArrayStorage(new int[10]), 5, [2, 3], [3, 1]));
        Assert.Contains("past its storage", e.Message);
    }
}
