namespace Kit.TorchExtras;

/// <summary>
/// What a oneDNN verdict holds for: the CPU's model name and feature flags (oneDNN picks its kernels by the
/// instruction sets the CPU reports, so the flags decide which code ran) and libtorch's version (which oneDNN).
/// Read from /proc/cpuinfo's first processor (<see cref="CpuInfo"/>).
/// </summary>
public sealed record OneDnnCheckKey(string CpuModel, string CpuFlags, string LibTorch)
{
    /// <summary>This machine and the libtorch TorchSharp loaded.</summary>
    public static OneDnnCheckKey Current() => For(CpuInfo.Current());

    /// <summary>The CPU <paramref name="cpu"/> (already read) and the libtorch TorchSharp loaded.</summary>
    public static OneDnnCheckKey For(CpuInfo cpu) => new(cpu.Model, cpu.Flags, TorchSharp.torch.__version__);

    /// <summary>The instruction sets that choose oneDNN's kernels, widest last ("avx2 avx512f avx512_bf16"), for the log line.</summary>
    public string VectorIsa
    {
        get
        {
            string[] notable = ["avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_bf16", "asimd", "sve", "sve2"];
            var have = CpuFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var shown = notable.Where(have.Contains).ToArray();
            return shown.Length > 0 ? string.Join(' ', shown) : "no AVX2";
        }
    }
}
