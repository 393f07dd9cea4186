using System.Buffers;
using System.Runtime.InteropServices;

namespace Kit.Torch.Formats;

/// <summary>
/// Turns a strided view of a storage (torch's storage_offset, size, stride) into a contiguous tensor.
/// Contiguous views are read straight into the tensor's buffer; other views read the span of storage they
/// cover once and gather from it, copying whole rows where the innermost stride is 1.
/// </summary>
internal static class StridedCopy
{
    public static byte[] Contiguous(TorchStorage storage, long offset, long[] size, long[] stride)
    {
        if (size.Length != stride.Length)
            throw new ArgumentException($"size has {size.Length} dimensions but stride has {stride.Length}");
        var es = storage.DType.ElementSize();
        var count = RawTensor.ElementCountOf(size);
        if (count > Array.MaxLength / es)
            throw new ArgumentException($"a tensor of {count} {storage.DType} elements is larger than one .NET array holds");
        // Every byte is written below (read or gathered), so skip zeroing: it costs as much as the copy.
        var result = GC.AllocateUninitializedArray<byte>((int)(count * es));
        if (count == 0) return result;

        long last = offset;
        for (var i = 0; i < size.Length; i++)
        {
            if (stride[i] < 0) throw new ArgumentException("negative strides are not supported");
            last += (size[i] - 1) * stride[i];
        }
        if (offset < 0 || last >= storage.ElementCount)
            throw new ArgumentException($"view (offset {offset}, size [{string.Join(", ", size)}], stride [{string.Join(", ", stride)}]) reaches past its storage of {storage.ElementCount} elements");

        if (IsContiguous(size, stride))
        {
            storage.Read(offset * es, result);
            return result;
        }

        var spanBytes = checked((int)((last - offset + 1) * es));
        var buffer = ArrayPool<byte>.Shared.Rent(spanBytes);
        try
        {
            storage.Read(offset * es, buffer.AsSpan(0, spanBytes));
            Gather(buffer.AsSpan(0, spanBytes), result, es, size, stride);
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return result;
    }

    public static bool IsContiguous(long[] size, long[] stride)
    {
        long expected = 1;
        for (var i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] != 1 && stride[i] != expected) return false;
            expected *= size[i];
        }
        return true;
    }

    private static void Gather(ReadOnlySpan<byte> src, Span<byte> dst, int es, long[] size, long[] stride)
    {
        var rank = size.Length;
        var inner = size[rank - 1];
        var innerStride = stride[rank - 1];
        var outerCount = inner == 0 ? 0 : RawTensor.ElementCountOf(size) / inner;
        var index = new long[Math.Max(rank - 1, 0)];
        long dstPos = 0;
        for (long o = 0; o < outerCount; o++)
        {
            long srcElem = 0;
            for (var d = 0; d < rank - 1; d++) srcElem += index[d] * stride[d];
            var rowBytes = (int)(inner * es);
            var row = dst.Slice((int)dstPos, rowBytes);
            if (innerStride == 1) src.Slice((int)(srcElem * es), rowBytes).CopyTo(row);
            else GatherRow(src, row, es, srcElem, innerStride, inner);
            dstPos += rowBytes;
            for (var d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < size[d]) break;
                index[d] = 0;
            }
        }
    }

    // Typed loops so that a transposed matrix is gathered one element move at a time, not byte by byte.
    private static void GatherRow(ReadOnlySpan<byte> src, Span<byte> row, int es, long start, long step, long n)
    {
        switch (es)
        {
            case 8: Typed(MemoryMarshal.Cast<byte, long>(src), MemoryMarshal.Cast<byte, long>(row), start, step, n); break;
            case 4: Typed(MemoryMarshal.Cast<byte, int>(src), MemoryMarshal.Cast<byte, int>(row), start, step, n); break;
            case 2: Typed(MemoryMarshal.Cast<byte, short>(src), MemoryMarshal.Cast<byte, short>(row), start, step, n); break;
            default: Typed(src, row, start, step, n); break;
        }
    }

    private static void Typed<T>(ReadOnlySpan<T> src, Span<T> dst, long start, long step, long n)
    {
        for (var i = 0; i < n; i++) dst[i] = src[(int)(start + i * step)];
    }
}
