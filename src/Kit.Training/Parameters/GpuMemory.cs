using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kit.Display;

namespace Kit.Training.Parameters;

/// <summary>The accelerator memory a batch must fit in, and where that figure came from.</summary>
public sealed record GpuMemory(long Bytes, string Source)
{
    /// <summary>Colab's free T4 (the guide's GPU): what the kit assumes when it neither is told nor finds one.</summary>
    public static GpuMemory ColabT4 { get; } = new(16_000_000_000, "assumed: no GPU found, so Colab's free 16 GB T4");

    public string Display => ByteSize.Format(Bytes);

    /// <summary>"16GB", "16 GB", "15.5G", "16GiB", "24576MiB", "80000MB". GB/MB are decimal, GiB/MiB binary.</summary>
    public static GpuMemory Parse(string text)
    {
        var m = Regex.Match(text.Trim(), @"^(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B?$", RegexOptions.IgnoreCase);
        if (!m.Success)
            throw new ParameterException($"--gpu-memory '{text}': expected a size such as 16GB, 24GiB or 81920MiB");
        var number = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value.ToUpperInvariant();
        if (unit == "") unit = "G"; // a bare "16" means gigabytes: nobody has a 16-byte GPU
        var power = "KMGT".IndexOf(unit[0]) + 1;
        var factor = Math.Pow(m.Groups[3].Value.Length > 0 ? 1024 : 1000, power);
        var bytes = number * factor;
        if (bytes < 1e8 || bytes > 1e13)
            throw new ParameterException($"--gpu-memory '{text}': {ByteSize.Format((long)bytes)} is not a plausible accelerator memory");
        return new GpuMemory((long)bytes, $"given ({text.Trim()})");
    }

    /// <summary>The first NVIDIA GPU's total memory from <c>nvidia-smi</c> (or <paramref name="tool"/>), or null when there is none.</summary>
    public static GpuMemory? Detect(string tool = "nvidia-smi")
    {
        try
        {
            var psi = new ProcessStartInfo(tool, "--query-gpu=name,memory.total --format=csv,noheader,nounits")
            { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi);
            if (p is null) return null;
            _ = p.StandardError.ReadToEndAsync(); // drained so a chatty failure cannot block the tool
            var output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(10_000) || p.ExitCode != 0) return null;
            var first = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            var parts = first?.Split(',', StringSplitOptions.TrimEntries);
            // "NVIDIA H100 80GB HBM3, 81559": total memory in MiB; "[N/A]" or anything else means unknown.
            if (parts is not { Length: 2 } || !long.TryParse(parts[1], out var mib) || mib <= 0) return null;
            return new GpuMemory(mib * 1024 * 1024, $"found: {parts[0]}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no nvidia-smi on this machine
        }
    }
}
