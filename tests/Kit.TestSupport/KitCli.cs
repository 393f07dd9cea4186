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

    /// <summary>Runs `kit ARGS` to the end, however long a loaded machine makes it (killed only by <see cref="HangGuard"/>).</summary>
    public static (int Code, string Stdout, string Stderr) Run(params string[] args) => Run(null, args);

    /// <summary>Runs `kit ARGS` to the end; <paramref name="environment"/>'s nulls remove a variable.</summary>
    public static (int Code, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var p = Process.Start(StartInfo(args, environment))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(HangGuard.Limit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(); // closes its pipes: what it printed so far goes in the failure
            Assert.Fail(HangGuard.Message($"the end of kit {string.Join(' ', args)}", stdout.Result + "\n--- stderr ---\n" + stderr.Result));
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
