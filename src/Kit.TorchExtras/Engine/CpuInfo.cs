namespace Kit.TorchExtras;

/// <summary>
/// The first processor of /proc/cpuinfo, as the engine's choices read it: x86's "vendor_id", "model name" and
/// "flags"; Arm's "CPU implementer" + "CPU part" and "Features". Where there is none (not Linux) each is "unknown".
/// </summary>
public sealed record CpuInfo(string Vendor, string Model, string Flags)
{
    private const string Path = "/proc/cpuinfo";

    /// <summary>This machine's.</summary>
    public static CpuInfo Current()
    {
        string text;
        try { text = File.ReadAllText(Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { text = ""; }
        return Parse(text);
    }

    public static CpuInfo Parse(string text)
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
        return new CpuInfo(fields.GetValueOrDefault("vendor_id") ?? "unknown", model, flags);
    }
}
