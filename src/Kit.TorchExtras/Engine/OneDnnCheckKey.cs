namespace Kit.TorchExtras;

/// <summary>
/// What a oneDNN verdict holds for: the CPU's model name and feature flags (oneDNN picks its kernels by the
/// instruction sets the CPU reports, so the flags decide which code ran) and libtorch's version (which oneDNN).
/// Read from /proc/cpuinfo's first processor; where there is none (not Linux) both say "unknown".
/// </summary>
public sealed record OneDnnCheckKey(string CpuModel, string CpuFlags, string LibTorch)
{
    private const string CpuInfo = "/proc/cpuinfo";

    /// <summary>This machine and the libtorch TorchSharp loaded.</summary>
    public static OneDnnCheckKey Current()
    {
        string text;
        try { text = File.ReadAllText(CpuInfo); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { text = ""; }
        var (model, flags) = ParseCpuInfo(text);
        return new OneDnnCheckKey(model, flags, TorchSharp.torch.__version__);
    }

    /// <summary>Model name and flags of the first processor: x86's "model name"/"flags", Arm's "CPU implementer"+"CPU part"/"Features".</summary>
    public static (string Model, string Flags) ParseCpuInfo(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) { if (fields.Count > 0) break; continue; } // first processor only
            var colon = line.IndexOf(':');
            if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
        }
        var model = fields.GetValueOrDefault("model name")
            ?? (fields.TryGetValue("CPU part", out var part) ? $"CPU implementer {fields.GetValueOrDefault("CPU implementer")}, part {part}" : "unknown");
        var flags = fields.GetValueOrDefault("flags") ?? fields.GetValueOrDefault("Features") ?? "unknown";
        return (model, flags);
    }

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
