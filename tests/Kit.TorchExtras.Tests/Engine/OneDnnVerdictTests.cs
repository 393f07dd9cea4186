using Kit.TestSupport;
using Kit.TorchExtras;

namespace Kit.TorchExtras.Tests.Engine;

/// <summary>
/// The oneDNN verdict's cache: checked once per CPU and libtorch, then read back; another key, a corrupt or an
/// unreadable file is checked again; KIT_TORCH_MKLDNN forces the choice without a check. Each test gives its
/// own cache folder and runs the real check (libtorch's convolutions on this CPU), counting its runs.
/// </summary>
public sealed class OneDnnVerdictTests
{
    private int _checks;

    private (double InputGradient, double Bf16Output) CountedCheck()
    {
        _checks++;
        return OneDnnConvCheck.WorstErrors(oneDnn: true);
    }

    private static string CacheFile(TempDir dir) => dir[OneDnnVerdicts.FileName];

    [Fact]
    public void The_check_runs_once_and_its_verdict_is_then_read_from_the_cache()
    {
        using var dir = new TempDir();
        var key = OneDnnCheckKey.Current();
        var first = OneDnnVerdicts.Resolve(dir.Path, key, CountedCheck);
        Assert.False(first.FromCache);
        Assert.Null(first.CacheError);
        Assert.Equal(1, _checks);
        var written = File.ReadAllText(CacheFile(dir));
        Assert.Contains(key.CpuModel, written);

        var second = OneDnnVerdicts.Resolve(dir.Path, key, CountedCheck);
        Assert.True(second.FromCache);
        Assert.Equal(1, _checks); // not run again
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(written, File.ReadAllText(CacheFile(dir))); // not rewritten
        Assert.Equal([OneDnnVerdicts.FileName], Directory.GetFiles(dir.Path).Select(Path.GetFileName)); // no temporary left
    }

    [Fact]
    public void A_cache_for_another_cpu_or_libtorch_is_ignored_and_rewritten()
    {
        using var dir = new TempDir();
        var key = OneDnnCheckKey.Current();
        foreach (var other in new[] { key with { CpuModel = "Another CPU" }, key with { CpuFlags = key.CpuFlags + " amx_tile" }, key with { LibTorch = "2.9.0" } })
        {
            OneDnnVerdicts.Resolve(dir.Path, other, CountedCheck);
            Assert.NotNull(OneDnnVerdicts.TryRead(dir.Path, other));
            Assert.Null(OneDnnVerdicts.TryRead(dir.Path, key));
            var before = _checks;
            var resolved = OneDnnVerdicts.Resolve(dir.Path, key, CountedCheck);
            Assert.False(resolved.FromCache);
            Assert.Equal(before + 1, _checks);
            Assert.Equal(key, OneDnnVerdicts.TryRead(dir.Path, key)!.Key);
            Assert.Null(OneDnnVerdicts.TryRead(dir.Path, other));
        }
    }

    [Fact]
    public void A_corrupt_cache_is_checked_again_and_replaced()
    {
        using var dir = new TempDir();
        var key = OneDnnCheckKey.Current();
        foreach (var corrupt in new[] { "{\"key\": {\"cpuModel\": ", "null", "{\"key\": null, \"check\": 1}", "\0\0\0" })
        {
            File.WriteAllText(CacheFile(dir), corrupt);
            var before = _checks;
            var resolved = OneDnnVerdicts.Resolve(dir.Path, key, CountedCheck);
            Assert.False(resolved.FromCache);
            Assert.Equal(before + 1, _checks);
            Assert.Equal(resolved.Verdict, OneDnnVerdicts.TryRead(dir.Path, key));
        }
    }

    [Fact]
    public void An_unreadable_cache_is_checked_and_the_verdict_still_given()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(CacheFile(dir)); // a folder where the file should be: neither readable nor replaceable
        var first = OneDnnVerdicts.Resolve(dir.Path, OneDnnCheckKey.Current(), CountedCheck);
        var second = OneDnnVerdicts.Resolve(dir.Path, OneDnnCheckKey.Current(), CountedCheck);
        Assert.NotNull(second.CacheError);
        Assert.False(second.FromCache);
        Assert.Equal(2, _checks);
        Assert.Equal(first.Verdict.Passed, second.Verdict.Passed);
        var choice = OneDnnChoice.Decide(null, dir.Path, OneDnnCheckKey.Current(), CountedCheck);
        Assert.Contains("not cached: ", choice.Line);
        Assert.Equal(first.Verdict.Passed, choice.Enabled);
    }

    [Fact]
    public void The_variable_forces_oneDNN_either_way_without_running_the_check()
    {
        using var dir = new TempDir();
        var key = OneDnnCheckKey.Current();
        foreach (var (value, on) in new[] { ("1", true), ("0", false) })
        {
            var forced = OneDnnChoice.Decide(value, dir.Path, key, CountedCheck);
            Assert.Equal(on, forced.Enabled);
            Assert.StartsWith($"tensor engine: oneDNN {(on ? "on" : "off")}: forced by KIT_TORCH_MKLDNN={value} (not checked on this CPU;", forced.Line);
        }
        Assert.Equal(0, _checks);
        Assert.False(File.Exists(CacheFile(dir)));

        var decided = OneDnnChoice.Decide(null, dir.Path, key, CountedCheck);
        Assert.Equal(1, _checks);
        Assert.Equal(decided.Verdict!.Passed, decided.Enabled);
        Assert.StartsWith($"tensor engine: oneDNN {(decided.Enabled ? "on" : "off")}: its conv1d ", decided.Line);
        Assert.Contains("checked now, cached in ", decided.Line);
        // Forced against a known verdict: the line names it.
        var against = OneDnnChoice.Decide(decided.Enabled ? "0" : "1", dir.Path, key, CountedCheck);
        Assert.Equal(!decided.Enabled, against.Enabled);
        Assert.Contains(decided.Verdict.Finding, against.Line);
        Assert.Equal(1, _checks);
        // Anything else is no override: the verdict decides, and the line says the value was ignored.
        var odd = OneDnnChoice.Decide("yes", dir.Path, key, CountedCheck);
        Assert.Equal(decided.Enabled, odd.Enabled);
        Assert.Contains("KIT_TORCH_MKLDNN=yes is neither 0 nor 1", odd.Line);
        Assert.Contains("checked once on ", odd.Line);
        Assert.Equal(1, _checks);
    }

    [Fact]
    public void The_key_is_the_first_processors_model_name_and_flags()
    {
        var x86 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16\n\nprocessor\t: 1\nvendor_id\t: other\nmodel name\t: other\nflags\t\t: fpu\n";
        Assert.Equal(new CpuInfo("AuthenticAMD", "AMD EPYC 7B13", "fpu sse2 avx2 avx512f avx512_bf16"), CpuInfo.Parse(x86));
        Assert.Equal("avx2 avx512f avx512_bf16", new OneDnnCheckKey("AMD EPYC 7B13", "fpu sse2 avx2 avx512f avx512_bf16", "2.10.0").VectorIsa);
        var arm = "processor\t: 0\nFeatures\t: fp asimd sve\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n";
        Assert.Equal(new CpuInfo("unknown", "CPU implementer 0x41, part 0xd0c", "fp asimd sve"), CpuInfo.Parse(arm));
        Assert.Equal(new CpuInfo("unknown", "unknown", "unknown"), CpuInfo.Parse(""));
        var here = OneDnnCheckKey.Current();
        Assert.Equal(TorchSharp.torch.__version__, here.LibTorch);
        if (File.Exists("/proc/cpuinfo")) Assert.NotEqual("unknown", here.CpuFlags);
    }
}
