using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Kit.TorchExtras;

/// <summary>
/// What libtorch was built with, as Python's <c>torch.__config__.show()</c> and <c>parallel_info()</c> print it
/// (libtorch's own <c>at::show_config</c>, <c>at::get_parallel_info</c>; TorchSharp 0.107 wraps neither), and the
/// parts of it that decide CPU speed in one line, which `kit bench` prints for the kit and for Python alike.
/// </summary>
public static class LibTorchBuild
{
    /// <summary>What PyTorch's official libtorch 2.10 for Linux ships with, said where the configuration cannot be read.</summary>
    public const string Known = "BLAS mkl (Intel oneMKL, linked into libtorch_cpu.so), oneDNN, parallel backend OpenMP (libtorch's official build; its own configuration is readable only on x86-64 Linux)";

    /// <summary>at::show_config(); null where it cannot be called (other than x86-64 Linux, or libtorch not loaded).</summary>
    public static string? ShowConfig() => ReadString(LibTorchAutocast.show_config);

    /// <summary>at::get_parallel_info(); null where it cannot be called.</summary>
    public static string? ParallelInfo() => ReadString(LibTorchAutocast.get_parallel_info);

    /// <summary>This process's libtorch in one line: "BLAS mkl (…), LAPACK mkl, oneDNN v3.7.1, CPU capability AVX512, parallel backend OpenMP".</summary>
    public static string Summary() => ShowConfig() is { } config ? Summarize(config, ParallelInfo()) : Known;

    /// <summary>The speed-deciding parts of a show_config()/parallel_info() pair (from either side).</summary>
    public static string Summarize(string showConfig, string? parallelInfo)
    {
        var parts = new List<string>();
        var blas = Setting(showConfig, "BLAS_INFO");
        var mkl = Line(showConfig, "Math Kernel Library");
        if (blas is not null) parts.Add($"BLAS {blas}{(mkl is not null && blas == "mkl" ? $" ({mkl})" : "")}");
        if (Setting(showConfig, "LAPACK_INFO") is { } lapack) parts.Add($"LAPACK {lapack}");
        var oneDnn = Line(showConfig, "MKL-DNN") ?? Line(showConfig, "oneDNN");
        if (oneDnn is not null && Regex.Match(oneDnn, @"v\d+(\.\d+)+") is { Success: true } version) parts.Add($"oneDNN {version.Value}");
        if (Line(showConfig, "CPU capability usage:") is { } capability) parts.Add("CPU capability " + capability["CPU capability usage:".Length..].Trim());
        if (parallelInfo is not null && Line(parallelInfo, "ATen parallel backend:") is { } backend)
            parts.Add("parallel backend " + backend["ATen parallel backend:".Length..].Trim());
        return parts.Count > 0 ? string.Join(", ", parts) : "unknown (no BLAS_INFO in its configuration)";
    }

    private static string? Setting(string config, string name) =>
        Regex.Match(config, $@"\b{name}=([^,\s]+)") is { Success: true } m ? m.Groups[1].Value : null;

    private static string? Line(string text, string containing) =>
        text.Split('\n').Select(l => l.Trim().TrimStart('-').Trim()).FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal));

    /// <summary>Calls a libtorch function returning std::string by value and copies it out (x86-64 Linux, libstdc++ only).</summary>
    private static string? ReadString(Func<IntPtr, IntPtr> call)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        TorchEngine.EnsureConfigured();
        var slot = Marshal.AllocHGlobal(32);
        try
        {
            call(slot);
            var data = Marshal.ReadIntPtr(slot);
            var length = Marshal.ReadInt64(slot, 8);
            var text = Marshal.PtrToStringUTF8(data, checked((int)length));
            if (data != slot + 16) LibTorchAutocast.operator_delete(data); // a long string lives on libtorch's heap
            return text;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
        finally { Marshal.FreeHGlobal(slot); }
    }
}
