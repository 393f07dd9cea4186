using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Kit.TorchExtras;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The Python side of a side-by-side benchmark: Debian's python3 with python3-torch (torch 1.13) by default, or
/// another interpreter (`--python PATH`: a venv, or scripts/torch26-root.sh's wrapper that runs Debian 13's
/// PyTorch 2.6 in a chroot, which the goals are set against), given the same intra-op threads.
/// A script prints one JSON object as its last line.
/// </summary>
internal static class PythonReference
{
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>The interpreter the benchmarks run (set from --python).</summary>
    public static string Python { get; set; } = DefaultPython;

    /// <summary>The --python option the side-by-side benchmarks share.</summary>
    public static Option<string> Option() =>
        new("--python") { Description = "Python interpreter with torch for the reference side", DefaultValueFactory = _ => DefaultPython };

    // The Python side's versions and build, and the BLAS library its process really maps: Debian's torch reports
    // BLAS_INFO=generic and runs whichever libblas.so.3 the system's alternatives point to (the reference BLAS, or
    // OpenBLAS where libopenblas0-pthread is installed).
    private const string VersionScript = """
import json, os, sys, torch
torch.randn(64, 64) @ torch.randn(64, 64)
maps = open('/proc/self/maps').read().split() if os.path.exists('/proc/self/maps') else []
blas = sorted({p for p in maps if p.startswith('/') and 'blas' in os.path.basename(p)})
print(json.dumps({'torch': torch.__version__, 'python': sys.version.split()[0], 'config': torch.__config__.show(),
                  'parallel': torch.__config__.parallel_info(), 'blas_library': blas[0] if blas else None,
                  'mkldnn': torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled}))
""";

    /// <summary>Both engines' versions, BLAS and oneDNN state, printed before the figures.</summary>
    public static string Versions()
    {
        var engine = string.Join('\n', TorchEngine.Lines);
        var py = Run(1, "-c", VersionScript);
        Torch = py.GetProperty("torch").GetString()!;
        var blasLibrary = py.GetProperty("blas_library").GetString();
        return $"kit: TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)} (libtorch {TorchSharp.torch.__version__}); "
            + $"python: {Python} (Python {py.GetProperty("python").GetString()}, torch {py.GetProperty("torch").GetString()})\n"
            + $"kit build:    {LibTorchBuild.Summary()}; oneDNN {(TorchEngine.mkldnn_enabled() ? "on" : "off")}\n"
            + $"python build: {LibTorchBuild.Summarize(py.GetProperty("config").GetString()!, py.GetProperty("parallel").GetString())}; "
            + $"oneDNN {(py.GetProperty("mkldnn").GetBoolean() ? "on" : "off")}; BLAS library it runs: {blasLibrary ?? "none mapped (linked in)"}\n"
            + engine
            + (Torch.StartsWith(GoalTorch + ".", StringComparison.Ordinal) ? ""
                : $"\nthe goals are set against PyTorch {GoalTorch} with OpenBLAS; this python runs torch {Torch} (scripts/torch26-root.sh builds one: --python /opt/kit-torch26/python3)");
    }

    /// <summary>The PyTorch the goal column is set against: current PyTorch as a Debian user gets it (Debian 13's, with OpenBLAS).</summary>
    public const string GoalTorch = "2.6";

    /// <summary>The Python side's torch version (after <see cref="Versions"/>).</summary>
    public static string Torch { get; private set; } = "";

    /// <summary>Runs python3 with <paramref name="arguments"/> ("-c", a script, its arguments; or a script file and
    /// its arguments) on <paramref name="threads"/> threads and returns its last line's JSON.</summary>
    public static JsonElement Run(int threads, params object[] arguments)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)!);
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{Python} did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"the Python side failed ({p.ExitCode}); is python3-torch installed for {Python}?\n{stderr.Result}");
        return JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement.Clone();
    }
}
