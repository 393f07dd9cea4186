using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static unsafe partial class torch
{
    private static Tensor Factory(Native.Factory op, ReadOnlySpan<long> shape, ScalarType? dtype, Device? device, bool requires_grad,
        double a = 0, double b = 0, double c = 0)
    {
        EnsureLoaded();
        var d = device ?? CPU;
        fixed (long* s = shape)
            return new Tensor(Check(kt_factory((int)op, s, shape.Length, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index,
                requires_grad ? 1 : 0, a, b, c)));
    }

    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Zeros, size, dtype, device, requires_grad);
    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Ones, size, dtype, device, requires_grad);
    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Empty, size, dtype, device, requires_grad);
    public static Tensor empty(params long[] size) => empty(size, null);
    public static Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Full, size, dtype, device, requires_grad, value);
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Randn, size, dtype, device, requires_grad);
    public static Tensor randn(params long[] size) => randn(size, null);
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(Native.Factory.Rand, size, dtype, device, requires_grad);
    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Randint, size, dtype ?? ScalarType.Int64, device, false, low, high);
    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Eye, default, dtype, device, false, n, m < 0 ? n : m);
    public static Tensor arange(double start, double stop, double step = 1, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Arange, default, dtype ?? (IsWhole(start) && IsWhole(stop) && IsWhole(step) ? ScalarType.Int64 : ScalarType.Float32),
            device, false, start, stop, step);
    public static Tensor arange(double stop, ScalarType? dtype = null, Device? device = null) => arange(0, stop, 1, dtype, device);
    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Linspace, default, dtype, device, false, start, end, steps);
    public static Tensor hann_window(long window_length, bool periodic = true, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Hann, default, dtype, device, false, window_length, periodic ? 1 : 0);
    public static Tensor hamming_window(long window_length, bool periodic = true, ScalarType? dtype = null, Device? device = null) =>
        Factory(Native.Factory.Hamming, default, dtype, device, false, window_length, periodic ? 1 : 0);

    public static Tensor zeros_like(Tensor t) => Tensor.Unary(Native.Unary.ZerosLike, t);
    public static Tensor ones_like(Tensor t) => Tensor.Unary(Native.Unary.OnesLike, t);
    public static Tensor randn_like(Tensor t) => Tensor.Unary(Native.Unary.RandnLike, t);
    public static Tensor rand_like(Tensor t) => Tensor.Unary(Native.Unary.RandLike, t);

    private static bool IsWhole(double v) => v == Math.Floor(v);

    /// <summary>A tensor copied (one bulk copy) from managed memory; shape defaults to one dimension.</summary>
    public static Tensor from_span<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, ScalarType? dtype = null, Device? device = null,
        bool requires_grad = false) where T : unmanaged
    {
        EnsureLoaded();
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count != data.Length)
            throw new ArgumentException($"tensor: {data.Length} values do not fill shape [{string.Join(", ", shape.ToArray())}]");
        var source = ScalarTypeOf<T>();
        var d = device ?? CPU;
        bool convert = dtype.HasValue && dtype.Value != source;
        Tensor t;
        fixed (T* p = data)
        fixed (long* s = shape)
            t = new Tensor(Check(kt_from_blob(p, s, shape.Length, (int)source, convert ? 0 : (int)d.type, d.index,
                requires_grad && !convert ? 1 : 0)));
        if (!convert) return t;
        using (t) return t.to(dtype!.Value, d).requires_grad_(requires_grad);
    }

    public static Tensor tensor<T>(T[] data, long[]? shape = null, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
        where T : unmanaged => from_span<T>(data.AsSpan(), shape ?? [data.Length], dtype, device, requires_grad);

    public static Tensor tensor(float[,] data, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        fixed (float* p = data)
            return from_span(new ReadOnlySpan<float>(p, data.Length), [data.GetLength(0), data.GetLength(1)], dtype, device, requires_grad);
    }

    public static Tensor tensor(double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        from_span<double>([value], ReadOnlySpan<long>.Empty, dtype ?? ScalarType.Float32, device, requires_grad);
    public static Tensor tensor(float value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        from_span<float>([value], ReadOnlySpan<long>.Empty, dtype, device, requires_grad);
    public static Tensor tensor(long value, ScalarType? dtype = null, Device? device = null) =>
        from_span<long>([value], ReadOnlySpan<long>.Empty, dtype, device);
    public static Tensor tensor(int value, ScalarType? dtype = null, Device? device = null) =>
        from_span<long>([value], ReadOnlySpan<long>.Empty, dtype, device);
    public static Tensor tensor(bool value, Device? device = null) =>
        from_span<bool>([value], ReadOnlySpan<long>.Empty, null, device);

    /// <summary>A tensor of the given dtype and shape from raw little-endian element bytes.</summary>
    public static Tensor from_bytes(ReadOnlySpan<byte> bytes, ScalarType dtype, ReadOnlySpan<long> shape, Device? device = null)
    {
        EnsureLoaded();
        long count = 1;
        foreach (var s in shape) count *= s;
        if (count * ElementSize(dtype) != bytes.Length)
            throw new ArgumentException($"from_bytes: {bytes.Length} bytes do not fill a {dtype} tensor of shape [{string.Join(", ", shape.ToArray())}]");
        var d = device ?? CPU;
        fixed (byte* p = bytes)
        fixed (long* s = shape)
            return new Tensor(Check(kt_from_blob(p, s, shape.Length, (int)dtype, (int)d.type, d.index, 0)));
    }
}
