using System.Globalization;

namespace Kit.Display;

/// <summary>
/// Byte counts for people, one way everywhere (files, transfers, free disk, accelerator memory): binary units
/// named as such (KiB, MiB, GiB, TiB), one decimal, so a figure reads the same in every message and never
/// calls 1,048,576 bytes "1 MB" in one place and "1.05 MB" in another.
/// </summary>
public static class ByteSize
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        if (Math.Abs(bytes) < 1024) return $"{bytes} B";
        var value = bytes / 1024.0;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}
