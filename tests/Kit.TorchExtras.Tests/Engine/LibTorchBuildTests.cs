using Kit.TestSupport;
using Kit.TorchExtras;
using System.Runtime.InteropServices;

namespace Kit.TorchExtras.Tests.Engine;

/// <summary>What `kit bench` prints about each side's build: libtorch's own show_config, and Python's torch.__config__ read the same way.</summary>
public sealed class LibTorchBuildTests
{
    [Fact]
    public void The_kits_libtorch_names_its_blas_and_onednn()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            Assert.Null(LibTorchBuild.ShowConfig());
            Assert.Equal(LibTorchBuild.Known, LibTorchBuild.Summary());
            return;
        }
        var config = LibTorchBuild.ShowConfig();
        Assert.NotNull(config);
        Assert.StartsWith("PyTorch built with:", config);
        Assert.Contains($"TORCH_VERSION={TorchSharp.torch.__version__[..4]}", config); // "2.10"
        Assert.Contains("ATen parallel backend:", LibTorchBuild.ParallelInfo());
        var summary = LibTorchBuild.Summary();
        Assert.Matches(@"^BLAS \S+.*, oneDNN v\d+\.\d+.*, CPU capability \S+, parallel backend \S+", summary);
    }

    [Fact]
    public void Pythons_torch_config_is_summarized_the_same_way()
    {
        var output = ReferencePython.Run("import json, torch; print(json.dumps([torch.__config__.show(), torch.__config__.parallel_info()]))");
        var parts = System.Text.Json.JsonSerializer.Deserialize<string[]>(output)!;
        var summary = LibTorchBuild.Summarize(parts[0], parts[1]);
        Assert.Matches(@"^BLAS \S+, LAPACK \S+, oneDNN v\d+\.\d+.*, CPU capability \S+, parallel backend \S+$", summary);
    }
}
