using System.Diagnostics;

namespace Kit.Data.Samples;

/// <summary>The command-line tools the kit's sample speech and benchmarks drive (espeak-ng, sox, pocketsphinx), found on PATH and run to the end.</summary>
public static class ExternalTool
{
    /// <summary>The tool's full path on PATH, or null when it is not installed.</summary>
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    /// <summary>Runs a tool to the end; its standard output, or a one-line error naming the tool, its arguments and what it said.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> args, string? stdin, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} could not be started");
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin + "\n");
        p.StandardInput.Close();
        var stderr = p.StandardError.ReadToEndAsync(ct);
        var stdout = await p.StandardOutput.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', psi.ArgumentList)} failed ({p.ExitCode}): {(await stderr).Trim()}");
        return stdout;
    }
}
