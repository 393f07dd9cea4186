using System.Collections.Concurrent;
using System.Diagnostics;
using Kit.TestSupport;

namespace Kit.Training.Tests.Faults;

/// <summary>A `kit` command in a child process, as a user runs it, with its output collected line by line.</summary>
public sealed class KitChild : IDisposable
{
    private readonly ConcurrentQueue<string> _out = new(), _err = new();

    public Process Process { get; }

    private KitChild(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _out.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _err.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static KitChild Start(IDictionary<string, string>? env, params string[] args)
    {
        var dll = Path.Combine(RepoPaths.KitBuild, "kit.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the command line first (dotnet build src/Kit.Cli)");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return new KitChild(Process.Start(psi)!);
    }

    /// <summary>Runs to the end: exit code, stdout, stderr.</summary>
    public static (int Code, string Stdout, string Stderr) Run(IDictionary<string, string>? env, params string[] args)
    {
        using var child = Start(env, args);
        return child.WaitForExit(120);
    }

    public (int Code, string Stdout, string Stderr) WaitForExit(int seconds)
    {
        Assert.True(Process.WaitForExit(seconds * 1000), $"kit did not finish in {seconds} s:\n{Stdout}\n{Stderr}");
        Process.WaitForExit(); // drains the redirected output
        return (Process.ExitCode, Stdout, Stderr);
    }

    public string Stdout => string.Join('\n', _out);
    public string Stderr => string.Join('\n', _err);

    public void WaitForLine(Func<string, bool> match, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!_out.Any(match))
        {
            if (Process.HasExited) Assert.Fail($"kit exited ({Process.ExitCode}) before {what}:\n{Stdout}\n{Stderr}");
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>No failure ever reaches a person as a stack trace.</summary>
    public static void AssertNoStackTrace(string stderr)
    {
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\.\S+\(", stderr);
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
