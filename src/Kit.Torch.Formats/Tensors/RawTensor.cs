using System.Runtime.InteropServices;

namespace Kit.Torch.Formats;

/// <summary>
/// A tensor as files hold it: element type, shape and contiguous, little-endian, row-major bytes.
/// Readers always hand out contiguous copies (views and strides are resolved on reading); writers take
/// these as they are. <see cref="RequiresGrad"/> and <see cref="IsParameter"/> carry what a .pth file
/// records about autograd so that a round trip keeps it.
/// </summary>
public sealed record RawTensor
{
    public DType DType { get; }
    public long[] Shape { get; }
    public ReadOnlyMemory<byte> Data { get; }
    public bool RequiresGrad { get; init; }
    /// <summary>True for a torch.nn.Parameter (pickled through torch._utils._rebuild_parameter).</summary>
    public bool IsParameter { get; init; }

    public RawTensor(DType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]", nameof(shape));
        var expected = ElementCountOf(shape) * dtype.ElementSize();
        if (data.Length != expected)
            throw new ArgumentException($"{dtype} tensor of shape [{string.Join(", ", shape)}] needs {expected} bytes, got {data.Length}", nameof(data));
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public long ElementCount => ElementCountOf(Shape);

    public static long ElementCountOf(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape) n = checked(n * d);
        return n;
    }

    /// <summary>A tensor over a copy of <paramref name="values"/>; the dtype follows T unless given
    /// (give <see cref="DType.BFloat16"/> with ushort bit patterns).</summary>
    public static RawTensor Create<T>(ReadOnlySpan<T> values, long[] shape, DType? dtype = null) where T : unmanaged
    {
        var d = dtype ?? DTypeOf<T>();
        if (d.ElementSize() != System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
            throw new ArgumentException($"{typeof(T).Name} elements cannot hold {d}");
        return new RawTensor(d, shape, MemoryMarshal.AsBytes(values).ToArray());
    }

    /// <summary>A tensor over a copy of <paramref name="values"/> with the given shape (none: a 0-d scalar).</summary>
    public static RawTensor Create<T>(T[] values, params long[] shape) where T : unmanaged => Create<T>(values.AsSpan(), shape);

    /// <summary>The elements reinterpreted as T (no copy).</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged => MemoryMarshal.Cast<byte, T>(Data.Span);

    public T[] ToArray<T>() where T : unmanaged => AsSpan<T>().ToArray();

    public static DType DTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(Half) ? DType.Float16
        : typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(long) ? DType.Int64
        : typeof(T) == typeof(int) ? DType.Int32
        : typeof(T) == typeof(short) ? DType.Int16
        : typeof(T) == typeof(sbyte) ? DType.Int8
        : typeof(T) == typeof(byte) ? DType.UInt8
        : typeof(T) == typeof(bool) ? DType.Bool
        : throw new ArgumentException($"no tensor dtype for {typeof(T).Name}; pass one explicitly");

    /// <summary>Value equality: same dtype, shape, flags and bytes.</summary>
    public bool Equals(RawTensor? other) =>
        other is not null && DType == other.DType && Shape.AsSpan().SequenceEqual(other.Shape)
        && RequiresGrad == other.RequiresGrad && IsParameter == other.IsParameter
        && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(DType, Shape.Length, Data.Length);

    public override string ToString() => $"RawTensor({DType}, [{string.Join(", ", Shape)}])";
}
