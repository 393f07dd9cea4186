using System.Diagnostics;

namespace Kit.TestSupport;

/// <summary>
/// Debian's /usr/bin/python3 with python3-torch (torch 1.13; the kit runs libtorch 2.10): PyTorch's own
/// implementation, the reference results are compared against. (The python3 first on PATH may be another
/// interpreter without torch.)
/// </summary>
public static class ReferencePython
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs a script with arguments; returns stdout, throws with stderr on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = Environment.ProcessorCount.ToString();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"reference python failed ({p.ExitCode}):\n{stderr.Result}");
        return stdout.Result;
    }
}
