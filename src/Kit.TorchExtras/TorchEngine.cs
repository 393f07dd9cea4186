using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Kit.TorchExtras;

/// <summary>
/// Process-wide settings of TorchSharp's libtorch that the kit needs before any model runs.
/// libtorch 2.10's oneDNN (mkldnn) CPU convolutions were measured wrong on the kit's build machine (AVX-512):
/// float32 conv1d gradients with respect to the input off by up to 100% (WaveRNN's conditioning network),
/// bfloat16 conv1d outputs off by ~20%, while libtorch's own CPU kernels are right. So the kit turns oneDNN
/// off on the CPU (at::Context::setUserEnabledMkldnn, exported by libtorch_cpu.so, not wrapped by TorchSharp).
/// KIT_TORCH_MKLDNN=1 turns it back on where it is known good. NNPACK is off too: on CPUs it does not support
/// (this one) libtorch then printed "Could not initialize NNPACK! Reason: Unsupported hardware." for every convolution.
/// </summary>
public static partial class TorchEngine
{
    private static int configured;

    /// <summary>Applies the settings once (safe to call often). Does nothing if libtorch cannot load: the first tensor op will say why.</summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1) return;
        try
        {
            LibTorchAutocast.EnsureResolver();
            if (Environment.GetEnvironmentVariable("KIT_TORCH_MKLDNN") != "1") set_mkldnn_enabled(false);
            LibTorchAutocast.set_user_enabled_nnpack(LibTorchAutocast.global_context(), false);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or NotSupportedException) { }
    }

    /// <summary>Whether libtorch may use oneDNN (mkldnn) kernels on the CPU, as torch.backends.mkldnn.enabled.</summary>
    public static void set_mkldnn_enabled(bool enabled) => LibTorchAutocast.set_user_enabled_mkldnn(LibTorchAutocast.global_context(), enabled);

    public static bool mkldnn_enabled() => LibTorchAutocast.user_enabled_mkldnn(LibTorchAutocast.global_context());

#pragma warning disable CA2255 // a library initializer on purpose: before any of its models run
    [ModuleInitializer]
    internal static void OnLoad() => EnsureConfigured();
}
