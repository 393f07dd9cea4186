using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests.Engine;

/// <summary>MKL's branch: asked for where the CPU has AVX-512 that MKL's non-Intel branch leaves unused, taken, and right.</summary>
public sealed class MklBranchTests
{
    private const string Epyc = "fpu sse2 avx2 avx512f avx512_bf16";

    [Fact]
    public void Intels_branch_is_asked_for_on_other_vendors_CPUs_with_AVX512_only_unless_forced()
    {
        Assert.True(MklBranch.Decide(null, "AuthenticAMD", Epyc, x64Linux: true).Ask);
        Assert.False(MklBranch.Decide(null, "AuthenticAMD", "fpu sse2 avx2", x64Linux: true).Ask);
        Assert.False(MklBranch.Decide(null, "GenuineIntel", Epyc, x64Linux: true).Ask);
        Assert.False(MklBranch.Decide(null, "AuthenticAMD", Epyc, x64Linux: false).Ask);
        Assert.False(MklBranch.Decide("0", "AuthenticAMD", Epyc, x64Linux: true).Ask);
        Assert.True(MklBranch.Decide("1", "AuthenticAMD", "fpu sse2 avx2", x64Linux: true).Ask);
        var odd = MklBranch.Decide("yes", "AuthenticAMD", Epyc, x64Linux: true);
        Assert.True(odd.Ask);
        Assert.Contains("KIT_MKL_INTEL_BRANCH=yes is neither 0 nor 1", odd.Why);
    }

    [Fact]
    public void The_line_names_the_branch_MKL_reports_and_says_when_asking_did_not_reach_it()
    {
        Assert.Equal("tensor engine: MKL runs Intel's AVX-512 (E1) branch on this AMD EPYC: asked for it (why)",
            MklBranch.Describe(true, "why", null, 14, "AMD EPYC"));
        Assert.Contains("but MKL had already chosen", MklBranch.Describe(true, "why", null, 2, "AMD EPYC"));
        Assert.Contains("but libkit_mkl_intel_branch.so was not built", MklBranch.Describe(true, "why", "libkit_mkl_intel_branch.so was not built", 2, "AMD EPYC"));
        Assert.StartsWith("tensor engine: MKL runs its branch for non-Intel CPUs on this AMD EPYC: not asked", MklBranch.Describe(false, "why", null, 2, "AMD EPYC"));
    }

    [Fact]
    public void The_kit_runs_the_branch_it_asked_for_and_its_matmul_agrees_with_float64()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        var cpu = CpuInfo.Current();
        var (ask, _) = MklBranch.Decide(Environment.GetEnvironmentVariable(MklBranch.Variable), cpu.Vendor, cpu.Flags, x64Linux: true);
        // setup.sh installs the C compiler that builds the shim beside the assembly; a build without it fails here.
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(typeof(MklBranch).Assembly.Location)!, MklBranch.ShimFile)), $"{MklBranch.ShimFile} was not built");
        var line = TorchEngine.MklLine;
        var branch = MklBranch.Reported();
        Assert.StartsWith($"tensor engine: MKL runs {MklBranch.BranchName(branch)} on this ", line);
        if (ask) Assert.True(branch >= 4, $"the kit asked for Intel's branch but MKL runs branch {branch}: {line}");
        if (cpu.Vendor != "GenuineIntel" && !ask) Assert.True(branch < 4, $"not asked for, yet MKL runs branch {branch}: {line}");

        // Shapes off every kernel's block size, so the edges run too: float32 products agree with float64's to a few
        // unit roundoffs of the sum (513 terms of N(0,1) products: ~2^-24 * sqrt(513) * |entries| relative).
        using var scope = NewDisposeScope();
        manual_seed(0);
        var a = randn(257, 513);
        var b = randn(513, 129);
        var exact = a.to(float64).matmul(b.to(float64));
        var error = (a.matmul(b).to(float64) - exact).abs().max().item<double>() / exact.abs().max().item<double>();
        Assert.True(error < 1e-5, $"float32 matmul off by {error} relative to float64 ({line})");
    }
}
