using System.Runtime.CompilerServices;
using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    /// <summary>
    /// A libtorch tensor held by a native handle. Free it with Dispose (or let its dispose scope do so);
    /// the finalizer frees a forgotten one. All arithmetic runs in libtorch.
    /// </summary>
    public unsafe partial class Tensor : IDisposable
    {
        private IntPtr handle;

        static Tensor() => EnsureLoaded();

        /// <summary>Wraps a fresh native handle; the tensor joins the innermost dispose scope, if any.</summary>
        internal Tensor(IntPtr handle)
        {
            this.handle = handle;
            DisposeScope.Current?.Add(this);
        }

        /// <summary>Wraps a handle that no scope may own (parameters, buffers).</summary>
        internal Tensor(IntPtr handle, bool scoped)
        {
            this.handle = handle;
            if (scoped) DisposeScope.Current?.Add(this);
        }

        ~Tensor() => Free();

        internal DisposeScope? Scope { get; set; }

        public IntPtr Handle
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException("Tensor", "the tensor was disposed (by Dispose or its dispose scope)");
        }

        public bool IsInvalid => handle == IntPtr.Zero;

        public void Dispose()
        {
            Scope?.Remove(this);
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
            if (h != IntPtr.Zero) kt_free(h);
        }

        /// <summary>Takes the tensor out of every dispose scope: the caller now owns it.</summary>
        public Tensor DetachFromDisposeScope()
        {
            Scope?.Remove(this);
            return this;
        }

        /// <summary>Moves the tensor to the scope enclosing its current one.</summary>
        public Tensor MoveToOuterDisposeScope()
        {
            Scope?.MoveToOuter(this);
            return this;
        }

        // ---- properties ----
        public long dim() => kt_ndim(Handle);
        public long ndim => kt_ndim(Handle);

        public long[] shape
        {
            get
            {
                var h = Handle;
                var s = new long[kt_ndim(h)];
                fixed (long* p = s) kt_shape(h, p);
                return s;
            }
        }

        public long size(long dim) => kt_size(Handle, dim);
        public long[] size() => shape;
        public long numel() => kt_numel(Handle);
        public long NumberOfElements => kt_numel(Handle);
        public ScalarType dtype => (ScalarType)kt_dtype(Handle);
        public Device device => new((DeviceType)kt_device_type(Handle), kt_device_index(Handle));
        public DeviceType device_type => (DeviceType)kt_device_type(Handle);
        public bool is_leaf => kt_is_leaf(Handle) != 0;
        public bool is_contiguous() => kt_is_contiguous(Handle) != 0;
        public long element_size() => kt_element_size(Handle);
        public bool is_floating_point() => torch.is_floating_point(dtype);

        public bool requires_grad
        {
            get => kt_requires_grad(Handle) != 0;
            set => Check(kt_set_requires_grad(Handle, value ? 1 : 0));
        }

        public Tensor requires_grad_(bool on = true)
        {
            requires_grad = on;
            return this;
        }

        // ---- autograd ----
        /// <summary>The accumulated gradient, or null; each read is a new handle to the same storage.</summary>
        public Tensor? grad
        {
            get
            {
                var g = kt_grad(Handle);
                return g == IntPtr.Zero ? null : new Tensor(g);
            }
            set
            {
                if (value is null) kt_clear_grad(Handle);
                else Check(kt_set_grad(Handle, value.Handle));
            }
        }

        public void backward(Tensor? gradient = null, bool retain_graph = false, bool create_graph = false) =>
            Check(kt_backward(Handle, gradient is null ? IntPtr.Zero : gradient.Handle, retain_graph ? 1 : 0, create_graph ? 1 : 0));

        // ---- conversions and copies ----
        public Tensor to(ScalarType type, bool copy = false) => new(Check(kt_to(Handle, (int)type, -1, -1, copy ? 1 : 0)));
        public Tensor to(Device d, bool copy = false) => new(Check(kt_to(Handle, -1, (int)d.type, d.index, copy ? 1 : 0)));
        public Tensor to(string d) => to(Device.Parse(d));
        public Tensor to(ScalarType type, Device d, bool copy = false) => new(Check(kt_to(Handle, (int)type, (int)d.type, d.index, copy ? 1 : 0)));
        public Tensor to_type(ScalarType type) => to(type);
        public Tensor cpu() => to(CPU);
        public Tensor cuda() => to(CUDA);
        public Tensor @float() => to(ScalarType.Float32);
        public Tensor @double() => to(ScalarType.Float64);
        public Tensor @long() => to(ScalarType.Int64);
        public Tensor @int() => to(ScalarType.Int32);
        public Tensor @bool() => to(ScalarType.Bool);
        public Tensor half() => to(ScalarType.Float16);
        public Tensor bfloat16() => to(ScalarType.BFloat16);

        /// <summary>The single element as T (float, double, long, int, bool, Half).</summary>
        public T item<T>() where T : unmanaged
        {
            var h = Handle;
            if (typeof(T) == typeof(long)) { var v = kt_item_long(h); if (v == long.MinValue) ThrowIfError(); return (T)(object)v; }
            if (typeof(T) == typeof(int)) { var v = kt_item_long(h); if (v == long.MinValue) ThrowIfError(); return (T)(object)(int)v; }
            var d = kt_item_double(h);
            if (double.IsNaN(d)) ThrowIfError();
            if (typeof(T) == typeof(double)) return (T)(object)d;
            if (typeof(T) == typeof(float)) return (T)(object)(float)d;
            if (typeof(T) == typeof(bool)) return (T)(object)(d != 0);
            if (typeof(T) == typeof(Half)) return (T)(object)(Half)d;
            throw new ArgumentException($"item<{typeof(T).Name}> is not supported");
        }

        // A NaN or sentinel is also a legitimate value; only a non-empty message means the call failed.
        private static void ThrowIfError()
        {
            var msg = LastError();
            if (msg.Length > 0) throw new TorchException(msg);
        }

        /// <summary>Copies every element out (contiguous, on the CPU) into a new array: one bulk copy.</summary>
        public T[] data<T>() where T : unmanaged
        {
            var h = Handle;
            var type = dtype;
            if (ElementSize(type) != sizeof(T) || (ScalarTypeOf<T>() != type && !(type == ScalarType.BFloat16 && typeof(T) == typeof(ushort))))
                throw new ArgumentException($"data<{typeof(T).Name}>() on a {type} tensor: convert it with to() first");
            var result = new T[kt_numel(h)];
            fixed (T* p = result) Check(kt_copy_out(h, p, (long)result.Length * sizeof(T)));
            return result;
        }

        /// <summary>Copies the raw element bytes out (contiguous, CPU order).</summary>
        public byte[] bytes()
        {
            var h = Handle;
            var result = new byte[kt_numel(h) * kt_element_size(h)];
            fixed (byte* p = result) Check(kt_copy_out(h, p, result.Length));
            return result;
        }

        /// <summary>Overwrites the elements in place from raw bytes of the same dtype and count.</summary>
        public Tensor copy_from_bytes(ReadOnlySpan<byte> src)
        {
            fixed (byte* p = src) Check(kt_copy_in(Handle, p, src.Length));
            return this;
        }

        public override string ToString()
        {
            if (IsInvalid) return "Tensor(disposed)";
            var s = $"Tensor[{string.Join(", ", shape)}] {dtype} {device}";
            if (numel() is > 0 and <= 16 && device_type == DeviceType.CPU)
            {
                using var f = to(ScalarType.Float64).DetachFromDisposeScope();
                s += " [" + string.Join(", ", f.data<double>().Select(v => v.ToString("G5"))) + "]";
            }
            return s;
        }

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);
        public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
    }
}
