using System.Runtime.InteropServices;
using TorchSharp;

namespace Kit.TorchExtras;

/// <summary>
/// Process-wide settings of TorchSharp's libtorch that the kit needs before any model runs.
/// oneDNN (mkldnn) by evidence: libtorch 2.10's oneDNN CPU convolutions were measured wrong on an AVX-512 EPYC
/// (float32 conv1d input gradients off by up to 100%, bfloat16 outputs by ~20-96%) and right on an AVX2 EPYC,
/// where turning them off makes an LSTM training step 1.5x slower. So <see cref="OneDnnConvCheck"/> runs once per
/// CPU and libtorch (cached, <see cref="OneDnnVerdicts"/>) and oneDNN stays on only where it passes;
/// KIT_TORCH_MKLDNN=0|1 forces it (<see cref="OneDnnChoice"/>). NNPACK is off: on CPUs it does not support
/// (the EPYCs) libtorch printed "Could not initialize NNPACK! Reason: Unsupported hardware." for every convolution.
/// MKL's branch (<see cref="MklBranch"/>) is chosen first of all, before libtorch loads: MKL keeps the first it takes.
/// </summary>
public static partial class TorchEngine
{
    private static int configured;

    /// <summary>The oneDNN choice made for this process and its line; null before <see cref="EnsureConfigured"/> or where libtorch did not load.</summary>
    public static OneDnnChoice? OneDnn { get; private set; }

    /// <summary>The line that says which branch libtorch's MKL runs and why ("" where libtorch did not load or is not x86-64 Linux's).</summary>
    public static string MklLine
    {
        get
        {
            EnsureConfigured();
            return mklLine;
        }
    }

    private static string mklLine = "";

    /// <summary>The engine's lines for a command's or training log's header: oneDNN's and MKL's, each where there is one.</summary>
    public static IEnumerable<string> Lines => new[] { OneDnnLine, MklLine }.Where(l => l.Length > 0);

    /// <summary>The one line that says whether oneDNN is on and why ("" where libtorch did not load).</summary>
    public static string OneDnnLine
    {
        get
        {
            EnsureConfigured();
            return OneDnn?.Line ?? "";
        }
    }

    /// <summary>Applies the settings once (safe to call often). Does nothing if libtorch cannot load: the first tensor op will say why.</summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1) return;
        var cpu = CpuInfo.Current();
        var x64Linux = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;
        var (askIntel, why) = MklBranch.Decide(Environment.GetEnvironmentVariable(MklBranch.Variable), cpu.Vendor, cpu.Flags, x64Linux);
        var shimFailure = askIntel ? MklBranch.LoadShim(ShimFolder()) : null;
        try
        {
            LibTorchAutocast.EnsureResolver();
            if (x64Linux) mklLine = DescribeMkl(askIntel, why, shimFailure, cpu.Model);
            LibTorchAutocast.set_user_enabled_nnpack(LibTorchAutocast.global_context(), false);
            OneDnnChoice choice;
            try
            {
                choice = OneDnnChoice.Decide(Environment.GetEnvironmentVariable(OneDnnChoice.Variable), OneDnnVerdicts.DefaultFolder(),
                    OneDnnCheckKey.For(cpu), () => OneDnnConvCheck.WorstErrors(oneDnn: true));
            }
            catch (Exception e) when (e is not (DllNotFoundException or EntryPointNotFoundException or TypeInitializationException))
            {
                // Off is the side known right everywhere: libtorch's own kernels.
                choice = new OneDnnChoice(false, $"tensor engine: oneDNN off: its check could not run ({e.GetType().Name}: {e.Message})", null);
            }
            set_mkldnn_enabled(choice.Enabled);
            OneDnn = choice;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or NotSupportedException) { }
    }

    private static string DescribeMkl(bool askIntel, string why, string? shimFailure, string cpuModel)
    {
        try { return MklBranch.Describe(askIntel, why, shimFailure, MklBranch.Reported(), cpuModel); }
        catch (EntryPointNotFoundException) { return "tensor engine: this libtorch has no MKL (no mkl_serv_cbwr_get_auto_branch in libtorch_cpu.so)"; }
    }

    /// <summary>Where <see cref="MklBranch.ShimFile"/> is built to: beside this assembly (the base folder where it has no file of its own).</summary>
    private static string ShimFolder() =>
        typeof(TorchEngine).Assembly.Location is { Length: > 0 } location ? Path.GetDirectoryName(location)! : AppContext.BaseDirectory;

    /// <summary>Whether libtorch may use oneDNN (mkldnn) kernels on the CPU, as torch.backends.mkldnn.enabled.</summary>
    public static void set_mkldnn_enabled(bool enabled) => LibTorchAutocast.set_user_enabled_mkldnn(LibTorchAutocast.global_context(), enabled);

    public static bool mkldnn_enabled() => LibTorchAutocast.user_enabled_mkldnn(LibTorchAutocast.global_context());
}
