namespace Kit.TorchExtras;

/// <summary>
/// Whether the kit runs libtorch's oneDNN (mkldnn) CPU kernels, and the one line that says so and why:
/// on where <see cref="OneDnnConvCheck"/> passes on this CPU, off where it fails, unless
/// <c>KIT_TORCH_MKLDNN=0|1</c> forces it (the check then does not run; a cached verdict is still named).
/// </summary>
public sealed record OneDnnChoice(bool Enabled, string Line, OneDnnVerdict? Verdict)
{
    public const string Variable = "KIT_TORCH_MKLDNN";

    /// <summary>
    /// Decides from the variable's value (<paramref name="forced"/>: null or empty when unset) and the verdict
    /// cached in <paramref name="cacheFolder"/>, running <paramref name="check"/> (worst errors with oneDNN on) where none is cached.
    /// </summary>
    public static OneDnnChoice Decide(string? forced, string cacheFolder, OneDnnCheckKey key, Func<(double InputGradient, double Bf16Output)> check)
    {
        var where = $"{key.CpuModel}, {key.VectorIsa}";
        if (forced is "0" or "1")
        {
            var on = forced == "1";
            var known = OneDnnVerdicts.TryRead(cacheFolder, key);
            var evidence = known is null ? "not checked on this CPU" : $"checked on {known.CheckedAt:yyyy-MM-dd}: {known.Finding}";
            return new OneDnnChoice(on, $"tensor engine: oneDNN {(on ? "on" : "off")}: forced by {Variable}={forced} ({evidence}; {where})", known);
        }
        var ignored = string.IsNullOrEmpty(forced) ? "" : $"; {Variable}={forced} is neither 0 nor 1, so it was ignored";
        var resolved = OneDnnVerdicts.Resolve(cacheFolder, key, check);
        var verdict = resolved.Verdict;
        var cache = resolved.CacheError is { } error ? $"not cached: {error}"
            : $"cached in {Tilde(resolved.CachePath)}";
        var when = resolved.FromCache ? $"checked once on {verdict.CheckedAt:yyyy-MM-dd}" : "checked now";
        return new OneDnnChoice(verdict.Passed,
            $"tensor engine: oneDNN {(verdict.Passed ? "on" : "off")}: {verdict.Finding} ({where}; {when}, {cache}{ignored})", verdict);
    }

    private static string Tilde(string path)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 1 && path.StartsWith(home + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "~" + path[home.Length..] : path;
    }
}
