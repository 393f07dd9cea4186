using System.Diagnostics;

namespace Kit.TestSupport;

/// <summary>The built `kit` command line in a child process, run by the dotnet host as ./kit runs it.</summary>
public static class KitCli
{
    /// <summary>kit.dll beside the tests (a test project that references the CLI), else build/kit's.</summary>
    public static string Dll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "kit.dll");
            if (!File.Exists(dll) || !File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
                dll = Path.Combine(RepoPaths.KitBuild, "kit.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing: build the command line first (dotnet build src/Kit.Cli)");
            return dll;
        }
    }

    /// <summary>How to start `kit ARGS` with its output redirected; <paramref name="environment"/>'s nulls remove a variable.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        return psi;
    }

    /// <summary>Runs `kit ARGS` to the end (killed and failed after three minutes).</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(TimeSpan.FromMinutes(3), null, args);

    /// <summary>Runs `kit ARGS` to the end (killed and failed after <paramref name="limit"/>).</summary>
    public static (int Code, string Stdout, string Stderr) Run(TimeSpan limit, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var p = Process.Start(StartInfo(args, environment))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"kit {string.Join(' ', args)} did not finish in {limit.TotalMinutes:0.#} minutes");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
