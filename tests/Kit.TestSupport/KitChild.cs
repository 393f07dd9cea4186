using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kit.TestSupport;

/// <summary>
/// A `kit` command in a child process, as a user runs it, with its output collected line by line while it
/// runs: for tests that act on it mid-run (signals, a spot notice). <see cref="KitCli.Run(string[])"/> runs one to the end.
/// </summary>
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

    /// <summary>Starts `kit ARGS`; <paramref name="env"/>'s nulls remove a variable.</summary>
    public static KitChild Start(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        var psi = KitCli.StartInfo(args, env);
        psi.RedirectStandardInput = true;
        // As from a terminal, Ctrl+C reaches the child: a suite started in the background by a shell inherits SIGINT
        // ignored, exec keeps it ignored, and .NET then installs no handler, so a test's SIGINT was lost and the test
        // waited for the hang guard. Perl (Debian's perl-base is essential) resets it and execs kit in the same process.
        string[] reset = ["-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec $ARGV[0]: $!\\n\";", psi.FileName];
        for (var i = 0; i < reset.Length; i++) psi.ArgumentList.Insert(i, reset[i]);
        psi.FileName = "perl";
        return new KitChild(Process.Start(psi)!);
    }

    /// <summary>Runs to the end: exit code, stdout, stderr.</summary>
    public static (int Code, string Stdout, string Stderr) Run(IReadOnlyDictionary<string, string?>? env, params string[] args)
    {
        using var child = Start(env, args);
        return child.WaitForExit();
    }

    /// <summary>Waits for the child to exit, however long a loaded machine makes it (bounded only by <see cref="HangGuard"/>).</summary>
    public (int Code, string Stdout, string Stderr) WaitForExit()
    {
        HangGuard.Wait(Process.WaitForExit, "kit's exit", () => Transcript);
        Process.WaitForExit(); // drains the redirected output
        return (Process.ExitCode, Stdout, Stderr);
    }

    /// <summary>The lines written to stdout so far.</summary>
    public IReadOnlyCollection<string> Lines => _out;

    public string Stdout => string.Join('\n', _out);
    public string Stderr => string.Join('\n', _err);
    public string Transcript => Stdout + "\n--- stderr ---\n" + Stderr;

    /// <summary>
    /// Waits for a line on stdout, bounded only by <see cref="HangGuard"/>: a test that acts once the line is
    /// there must not depend on how long the child then takes (see KIT_TEST_HOLD_AFTER_STEP).
    /// </summary>
    public void WaitForLine(Func<string, bool> match, string what)
    {
        HangGuard.Until(() => _out.Any(match) || Process.HasExited, what, () => Transcript);
        if (_out.Any(match)) return;
        Process.WaitForExit(); // the lines it wrote just before exiting may still be on their way
        if (_out.Any(match)) return;
        Assert.Fail($"kit exited ({Process.ExitCode}) before {what}:\n{Transcript}");
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
