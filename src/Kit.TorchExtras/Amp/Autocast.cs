using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>PyTorch's torch.amp, which TorchSharp 0.107 lacks: <see cref="autocast"/> and <see cref="GradScaler"/>.</summary>
public static partial class amp
{
    /// <summary>
    /// Mixed precision for the ops inside the scope, as PyTorch's <c>torch.autocast</c>: libtorch runs the ops
    /// on its lower-precision list (linear, matmul, conv, ...) in <paramref name="dtype"/> and keeps the
    /// numerically touchy ones (softmax, losses, norms, ...) in float32. Parameters stay float32.
    /// The state is per thread, as in libtorch: enter the scope on the thread that runs the forward, and
    /// dispose it there. The default dtype is float16 on CUDA and bfloat16 on the CPU, as PyTorch's.
    /// </summary>
    public static AutocastMode autocast(DeviceType device_type, ScalarType? dtype = null, bool enabled = true, bool? cache_enabled = null) =>
        new(device_type, dtype, enabled, cache_enabled);

    public static bool is_autocast_enabled(DeviceType device_type)
    {
        LibTorchAutocast.EnsureResolver();
        return LibTorchAutocast.is_enabled((sbyte)device_type);
    }

    public static ScalarType get_autocast_dtype(DeviceType device_type)
    {
        LibTorchAutocast.EnsureResolver();
        return (ScalarType)LibTorchAutocast.get_dtype((sbyte)device_type);
    }

    /// <summary>
    /// torch.cuda.is_bf16_supported, missing in TorchSharp 0.107: whether a bfloat16 matmul runs on the GPU.
    /// (PyTorch checks compute capability 8.0+, which TorchSharp cannot read; a GPU that cannot do it fails the op.)
    /// </summary>
    public static bool cuda_is_bf16_supported()
    {
        if (!cuda.is_available()) return false;
        try
        {
            using var scope = NewDisposeScope();
            var a = ones(2, 2, bfloat16, CUDA);
            return a.matmul(a).sum().item<float>() == 8;
        }
        catch (Exception) { return false; }
    }

    /// <summary>One autocast scope; see <see cref="autocast"/>.</summary>
    public sealed class AutocastMode : IDisposable
    {
        private readonly sbyte device;
        private readonly bool previousEnabled;
        private readonly sbyte previousDtype;
        private readonly bool previousCache;
        private readonly int thread = Environment.CurrentManagedThreadId;
        private bool done;

        internal AutocastMode(DeviceType device_type, ScalarType? dtype, bool enabled, bool? cache_enabled)
        {
            LibTorchAutocast.EnsureResolver();
            var fast = dtype ?? (device_type == DeviceType.CUDA ? ScalarType.Float16 : ScalarType.BFloat16);
            if (enabled) Check(device_type, fast);
            // PyTorch disables (with a warning) rather than fail when CUDA is asked for on a machine without it.
            if (device_type == DeviceType.CUDA && !cuda.is_available()) enabled = false;
            device = (sbyte)device_type;
            this.device_type = device_type;
            this.dtype = fast;
            this.enabled = enabled;
            previousEnabled = LibTorchAutocast.is_enabled(device);
            previousDtype = LibTorchAutocast.get_dtype(device);
            previousCache = LibTorchAutocast.is_cache_enabled();
            LibTorchAutocast.set_enabled(device, enabled);
            LibTorchAutocast.set_dtype(device, (sbyte)fast);
            LibTorchAutocast.increment_nesting();
            if (cache_enabled is { } cache) LibTorchAutocast.set_cache_enabled(cache);
        }

        public DeviceType device_type { get; }
        public ScalarType dtype { get; }
        public bool enabled { get; }

        public void Dispose()
        {
            if (done) return;
            // Restoring on another thread would change that thread's state and leave this one's on.
            if (Environment.CurrentManagedThreadId != thread)
                throw new InvalidOperationException("an autocast scope must be disposed on the thread that entered it (libtorch's autocast state is per thread)");
            done = true;
            if (LibTorchAutocast.decrement_nesting() == 0) LibTorchAutocast.clear_cache();
            LibTorchAutocast.set_enabled(device, previousEnabled);
            LibTorchAutocast.set_dtype(device, previousDtype);
            LibTorchAutocast.set_cache_enabled(previousCache);
        }

        private static void Check(DeviceType device_type, ScalarType fast)
        {
            if (device_type == DeviceType.CPU && fast is not (ScalarType.BFloat16 or ScalarType.Float16))
                throw new ArgumentException($"CPU autocast runs in bfloat16 or float16 (got {fast})");
            if (device_type == DeviceType.CUDA && fast is not (ScalarType.Float16 or ScalarType.BFloat16))
                throw new ArgumentException($"CUDA autocast runs in float16 or bfloat16 (got {fast})");
            if (device_type == DeviceType.CUDA && fast == ScalarType.BFloat16 && cuda.is_available() && !cuda_is_bf16_supported())
                throw new ArgumentException("this CUDA device does not support bfloat16 (compute capability 8.0 or newer does): use float16");
        }
    }
}
