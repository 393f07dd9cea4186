using System.Runtime.InteropServices;

namespace Kit.TorchExtras;

/// <summary>
/// Which code branch libtorch's MKL runs: its BLAS, so every matmul, linear layer and LSTM gate. MKL picks a branch
/// once per process, and takes its Intel branches only on Intel's CPUs; on any other vendor's it runs a branch that
/// stops at AVX2. On an AMD EPYC with AVX-512 that costs a 1024² float32 matmul 10-15% (92-101 GFLOP/s on one core
/// against 106-110 through Intel's AVX-512 branch), which put the kit behind PyTorch with OpenBLAS there. So on a
/// non-Intel x86-64 CPU with AVX-512 the kit loads <see cref="ShimFile"/> (Native/mkl_intel_branch.c: the one
/// function MKL asks) before MKL first runs, and MKL takes the Intel branch the CPU's flags allow. Where the CPU has
/// no AVX-512, MKL's own branch already runs everything the CPU has, and nothing was measured there: the kit leaves
/// it. <c>KIT_MKL_INTEL_BRANCH=0|1</c> forces it either way. The line says which branch MKL took, as MKL reports it.
/// </summary>
public static partial class MklBranch
{
    public const string Variable = "KIT_MKL_INTEL_BRANCH";

    /// <summary>Built from Native/mkl_intel_branch.c beside Kit.TorchExtras.dll (its .csproj) where a C compiler was there at build time.</summary>
    public const string ShimFile = "libkit_mkl_intel_branch.so";

    /// <summary>MKL's own name for the branch it took (mkl_cbwr.h's MKL_CBWR_* values); "its branch for non-Intel CPUs" for the rest.</summary>
    public static string BranchName(int branch) => branch switch
    {
        3 => "its compatible branch",
        4 => "Intel's SSE2 branch",
        6 => "Intel's SSSE3 branch",
        7 => "Intel's SSE4.1 branch",
        8 => "Intel's SSE4.2 branch",
        9 => "Intel's AVX branch",
        10 => "Intel's AVX2 branch",
        12 => "Intel's AVX-512 branch",
        14 => "Intel's AVX-512 (E1) branch",
        >= 11 => $"Intel's branch {branch}",
        _ => "its branch for non-Intel CPUs",
    };

    /// <summary>Whether the kit asks MKL for Intel's branch, and why, from the variable (null or empty when unset) and the CPU.</summary>
    public static (bool Ask, string Why) Decide(string? forced, string cpuVendor, string cpuFlags, bool x64Linux)
    {
        if (forced is "0" or "1") return (forced == "1", $"forced by {Variable}={forced}");
        var ignored = string.IsNullOrEmpty(forced) ? "" : $"; {Variable}={forced} is neither 0 nor 1, so it was ignored";
        if (!x64Linux) return (false, "not x86-64 Linux" + ignored);
        if (cpuVendor == "GenuineIntel") return (false, "an Intel CPU: MKL takes its Intel branches by itself" + ignored);
        return cpuFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("avx512f")
            ? (true, $"AVX-512 here, which MKL's branch for non-Intel CPUs leaves unused; {Variable}=0 turns it off{ignored}")
            : (false, $"no AVX-512 here: MKL's branch for non-Intel CPUs runs all this CPU has{ignored}");
    }

    /// <summary>
    /// Loads the shim where <see cref="Decide"/> asks for it; must run before MKL's first call (MKL keeps the branch
    /// it took). <paramref name="shimFolder"/> holds <see cref="ShimFile"/>. Returns why it did not load; null when it did.
    /// </summary>
    internal static string? LoadShim(string shimFolder)
    {
        var path = Path.Combine(shimFolder, ShimFile);
        if (!File.Exists(path)) return $"{ShimFile} was not built (no C compiler when Kit.TorchExtras was built)";
        // RTLD_GLOBAL puts its symbol ahead of libtorch_cpu.so's own in every later lookup; NativeLibrary.Load
        // opens libraries RTLD_LOCAL, where nothing else would see it.
        return Dl.dlopen(path, Dl.RTLD_NOW | Dl.RTLD_GLOBAL) != IntPtr.Zero ? null : $"{path} did not load: {Dl.Error()}";
    }

    /// <summary>The branch MKL runs in this process (MKL_CBWR_* as <see cref="BranchName"/> reads it); makes MKL choose if nothing has yet.</summary>
    public static int Reported() => LibTorchAutocast.mkl_auto_branch();

    /// <summary>The line for a decision and the branch MKL then reports.</summary>
    public static string Describe(bool ask, string why, string? loadFailure, int branch, string cpuModel)
    {
        var took = BranchName(branch);
        var asked = !ask ? $"not asked for Intel's branch ({why})"
            : loadFailure is not null ? $"Intel's branch asked for ({why}) but {loadFailure}"
            : branch >= 4 ? $"asked for it ({why})"
            : $"asked for Intel's branch ({why}), but MKL had already chosen its branch in this process";
        return $"tensor engine: MKL runs {took} on this {cpuModel}: {asked}";
    }

    private static partial class Dl
    {
        internal const int RTLD_NOW = 0x2, RTLD_GLOBAL = 0x100;

        [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial IntPtr dlopen(string file, int mode);

        [LibraryImport("libc.so.6")]
        private static partial IntPtr dlerror();

        internal static string Error() => Marshal.PtrToStringUTF8(dlerror()) ?? "no reason given";
    }
}
