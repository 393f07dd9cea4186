using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
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
        EnsureLoaded();
        return kt_autocast_enabled((int)device_type) != 0;
    }

    public static ScalarType get_autocast_dtype(DeviceType device_type)
    {
        EnsureLoaded();
        return (ScalarType)kt_autocast_dtype((int)device_type);
    }

    /// <summary>One autocast scope; see <see cref="autocast"/>.</summary>
    public sealed class AutocastMode : IDisposable
    {
        private readonly int device;
        private readonly bool previousEnabled;
        private readonly ScalarType previousDtype;
        private readonly bool previousCache;
        private readonly int thread = Environment.CurrentManagedThreadId;
        private bool done;

        internal AutocastMode(DeviceType device_type, ScalarType? dtype, bool enabled, bool? cache_enabled)
        {
            EnsureLoaded();
            var fast = dtype ?? (device_type == DeviceType.CUDA ? ScalarType.Float16 : ScalarType.BFloat16);
            if (enabled) Check(device_type, fast);
            // PyTorch disables (with a warning) rather than fail when CUDA is asked for on a machine without it.
            if (device_type == DeviceType.CUDA && !cuda.is_available()) enabled = false;
            device = (int)device_type;
            this.device_type = device_type;
            this.dtype = fast;
            this.enabled = enabled;
            previousEnabled = kt_autocast_enabled(device) != 0;
            previousDtype = (ScalarType)kt_autocast_dtype(device);
            previousCache = kt_autocast_cache_enabled() != 0;
            kt_autocast_set_enabled(device, enabled ? 1 : 0);
            kt_autocast_set_dtype(device, (int)fast);
            kt_autocast_increment_nesting();
            if (cache_enabled is { } cache) kt_autocast_set_cache_enabled(cache ? 1 : 0);
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
            if (kt_autocast_decrement_nesting() == 0) kt_autocast_clear_cache();
            kt_autocast_set_enabled(device, previousEnabled ? 1 : 0);
            kt_autocast_set_dtype(device, (int)previousDtype);
            kt_autocast_set_cache_enabled(previousCache ? 1 : 0);
        }

        private static void Check(DeviceType device_type, ScalarType fast)
        {
            if (device_type == DeviceType.CPU && fast != ScalarType.BFloat16)
                throw new ArgumentException($"CPU autocast supports only bfloat16 in libtorch 1.13 (got {fast})");
            if (device_type == DeviceType.CUDA && fast is not (ScalarType.Float16 or ScalarType.BFloat16))
                throw new ArgumentException($"CUDA autocast runs in float16 or bfloat16 (got {fast})");
            if (device_type == DeviceType.CUDA && fast == ScalarType.BFloat16 && cuda.is_available() && !cuda.is_bf16_supported())
                throw new ArgumentException("this CUDA device does not support bfloat16 (compute capability 8.0 or newer does): use float16");
        }
    }
}
