using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The Python side of a side-by-side benchmark: Debian's python3 with python3-torch (torch 1.13) by default, or
/// another interpreter (`--python PATH`, e.g. a venv with a current PyTorch), given the same intra-op threads.
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

    /// <summary>Both engines' versions, printed before the figures.</summary>
    public static string Versions()
    {
        var py = Run(1, "-c", "import json, sys, torch; print(json.dumps({'torch': torch.__version__, 'python': sys.version.split()[0]}))");
        return $"kit: TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3)} (libtorch {TorchSharp.torch.__version__}); "
            + $"python: {Python} (Python {py.GetProperty("python").GetString()}, torch {py.GetProperty("torch").GetString()})";
    }

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
