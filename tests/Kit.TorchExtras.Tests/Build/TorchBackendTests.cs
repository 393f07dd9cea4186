using System.Diagnostics;
using System.Text.Json;
using Kit.TestSupport;

namespace Kit.TorchExtras.Tests.Build;

/// <summary>
/// The one setting that picks libtorch's package (cpu here, cuda on a GPU machine), checked by evaluating the
/// project with MSBuild: no restore, so the CUDA package (not served here) need not exist.
/// </summary>
public class TorchBackendTests
{
    private static readonly string Project = Path.Combine(RepoPaths.Root, "src", "Kit.TorchExtras", "Kit.TorchExtras.csproj");

    [Fact]
    public void Cpu_is_the_default_and_names_libtorch_cpu()
    {
        using var dir = new TempDir();
        var (backend, packages) = Evaluate($"-p:KitTorchBackendFile={dir["absent"]}");
        Assert.Equal("cpu", backend);
        Assert.Contains("TorchSharp", packages);
        Assert.Contains("libtorch-cpu-linux-x64", packages);
        Assert.DoesNotContain("TorchSharp-cuda-linux", packages);
    }

    [Fact]
    public void Cuda_names_TorchSharps_cuda_package_and_no_cpu_libtorch()
    {
        var (backend, packages) = Evaluate("-p:KitTorchBackend=cuda");
        Assert.Equal("cuda", backend);
        Assert.Contains("TorchSharp-cuda-linux", packages);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", packages);
        Assert.DoesNotContain("TorchSharp", packages);
    }

    [Fact]
    public void The_backend_file_setup_writes_picks_the_package()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["torch-backend"], "cuda\n");
        var (backend, packages) = Evaluate($"-p:KitTorchBackendFile={dir["torch-backend"]}");
        Assert.Equal("cuda", backend);
        Assert.Contains("TorchSharp-cuda-linux", packages);
    }

    [Fact]
    public void An_unknown_backend_is_refused_with_the_setting_named()
    {
        var (code, output) = MsBuild("-t:KitCheckTorchBackend", "-p:KitTorchBackend=rocm");
        Assert.NotEqual(0, code);
        Assert.Contains("KitTorchBackend is 'rocm'", output);
    }

    private static (string backend, List<string> packages) Evaluate(params string[] args)
    {
        var (code, output) = MsBuild([.. args, "-getProperty:KitTorchBackend", "-getItem:PackageReference"]);
        Assert.True(code == 0, output);
        using var json = JsonDocument.Parse(output);
        var backend = json.RootElement.GetProperty("Properties").GetProperty("KitTorchBackend").GetString()!;
        var packages = json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Select(e => e.GetProperty("Identity").GetString()!).ToList();
        return (backend, packages);
    }

    private static (int code, string output) MsBuild(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["msbuild", Project, "-nologo", .. args]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout + stderr.Result);
    }
}
