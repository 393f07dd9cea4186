namespace Kit.Torch;

public static partial class torch
{
    public enum DeviceType { CPU = 0, CUDA = 1 }

    /// <summary>A device: `cpu`, `cuda` or `cuda:N`.</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        public static Device Parse(string spec)
        {
            var parts = spec.Trim().ToLowerInvariant().Split(':');
            var type = parts[0] switch
            {
                "cpu" => DeviceType.CPU,
                "cuda" => DeviceType.CUDA,
                _ => throw new ArgumentException($"unknown device '{spec}' (expected cpu, cuda or cuda:N)"),
            };
            return new Device(type, parts.Length > 1 ? int.Parse(parts[1]) : -1);
        }

        public override string ToString() => type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";
    }

    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA);

    public static Device device(string spec) => Device.Parse(spec);

    public static class cuda
    {
        public static bool is_available() => device_count() > 0;

        public static int device_count() { Native.LibKitTorch.EnsureLoaded(); return Native.LibKitTorch.kt_cuda_device_count(); }

        public static void synchronize() => Native.LibKitTorch.kt_cuda_synchronize();

        /// <summary>Whether the CUDA device computes in bfloat16 natively (compute capability 8.0 or newer); false without CUDA.</summary>
        public static bool is_bf16_supported() { Native.LibKitTorch.EnsureLoaded(); return Native.LibKitTorch.kt_cuda_is_bf16_supported() != 0; }
    }
}
