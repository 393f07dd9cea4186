using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kit.TorchExtras;

/// <summary>
/// What <see cref="OneDnnConvCheck"/> found with oneDNN on, on the CPU and libtorch of <see cref="Key"/>.
/// </summary>
public sealed record OneDnnVerdict(OneDnnCheckKey Key, int Check, double InputGradient, double Bf16Output, DateTimeOffset CheckedAt)
{
    /// <summary>
    /// float32 input gradients, relative to the largest float64 gradient. Right kernels come to 2.5e-7 to 3.2e-7
    /// over the check's shapes (libtorch's own and oneDNN's on an AVX-512 EPYC, 1.9e-7 on an AVX2 EPYC); wrong ones
    /// to 1 or NaN. 5e-6 is EngineTests' bound: ~80 float32 unit roundoffs (2^-24) of the largest gradient, over
    /// ten times a right kernel's error and five orders of magnitude under a wrong one's.
    /// </summary>
    public const double InputGradientBound = 5e-6;

    /// <summary>
    /// bfloat16 outputs, relative to the largest float64 output. bfloat16 keeps 8 significant bits, so rounding
    /// the inputs and the result each costs up to 2^-8 (3.9e-3) of the value rounded: right kernels come to 4.7e-3
    /// here (libtorch's own and oneDNN's, on an AVX-512 and an AVX2 EPYC alike), about one rounding of the largest
    /// output; the wrong ones measured 0.2 to 0.96. 3e-2 is ~8 such roundings: room for a kernel that sums the
    /// products in another order or rounds a partial sum, while an output off by a tenth of its size fails.
    /// </summary>
    public const double Bf16OutputBound = 3e-2;

    public bool Passed => InputGradient < InputGradientBound && Bf16Output < Bf16OutputBound;

    /// <summary>What the check found, in words: "its conv1d float32 input gradient is off by 43% on this CPU".</summary>
    public string Finding => Passed
        ? $"its conv1d agrees with float64 on this CPU (float32 input gradient {Error(InputGradient)}, bfloat16 output {Error(Bf16Output)})"
        : !(InputGradient < InputGradientBound)
            ? $"its conv1d float32 input gradient is {Off(InputGradient)} on this CPU"
            : $"its conv1d bfloat16 output is {Off(Bf16Output)} on this CPU";

    private static string Error(double relative) => relative.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);

    private static string Off(double relative) => double.IsInfinity(relative) ? "NaN" :
        relative >= 0.01 ? $"off by {relative * 100:0}%" : $"off by {Error(relative)} of its size";
}

/// <summary>
/// The oneDNN verdict for this machine, checked once and kept in the user's cache folder
/// (<c>$XDG_CACHE_HOME/kit/onednn.json</c> or <c>~/.cache/kit/onednn.json</c>). A cache written for another CPU,
/// libtorch or check, or one that cannot be read or parsed, is checked again and rewritten; the file is
/// replaced whole (written beside it, then renamed), so a reader never sees half of it.
/// </summary>
public static class OneDnnVerdicts
{
    public const string FileName = "onednn.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // NaN from oneDNN is kept as Infinity
    };

    /// <summary>The resolved verdict; whether it came from the cache; why it could not be cached (null when it was).</summary>
    public sealed record Resolution(OneDnnVerdict Verdict, bool FromCache, string CachePath, string? CacheError);

    /// <summary>$XDG_CACHE_HOME/kit when that is an absolute path, else ~/.cache/kit.</summary>
    public static string DefaultFolder()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "kit");
    }

    /// <summary>The cached verdict for <paramref name="key"/>, or null (none, another key, unreadable).</summary>
    public static OneDnnVerdict? TryRead(string folder, OneDnnCheckKey key)
    {
        try
        {
            var cached = JsonSerializer.Deserialize<OneDnnVerdict>(File.ReadAllText(Path.Combine(folder, FileName)), Json);
            return cached is { Key: not null } && cached.Key == key && cached.Check == OneDnnConvCheck.Version
                && !double.IsNaN(cached.InputGradient) && !double.IsNaN(cached.Bf16Output) ? cached : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException) { return null; }
    }

    /// <summary>The cached verdict for <paramref name="key"/>; else runs <paramref name="check"/> (worst errors with oneDNN on) and caches what it found.</summary>
    public static Resolution Resolve(string folder, OneDnnCheckKey key, Func<(double InputGradient, double Bf16Output)> check)
    {
        var path = Path.Combine(folder, FileName);
        if (TryRead(folder, key) is { } cached) return new Resolution(cached, FromCache: true, path, null);
        var (grad, bf16) = check();
        var verdict = new OneDnnVerdict(key, OneDnnConvCheck.Version, grad, bf16, DateTimeOffset.UtcNow);
        try
        {
            Directory.CreateDirectory(folder);
            var temporary = Path.Combine(folder, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            try
            {
                File.WriteAllText(temporary, JsonSerializer.Serialize(verdict, Json) + "\n");
                File.Move(temporary, path, overwrite: true); // atomic on one file system: readers see the old file or the new
            }
            finally { File.Delete(temporary); }
            return new Resolution(verdict, FromCache: false, path, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Resolution(verdict, FromCache: false, path, e.Message);
        }
    }
}
