using System.Diagnostics;

namespace Kit.TestSupport;

/// <summary>
/// espeak-ng, sox and lame for tests that need real speech and real format conversions. A missing tool fails
/// the test with a message saying what to install, never a silent pass.
/// </summary>
public static class AudioTools
{
    /// <summary>Speaks <paramref name="text"/> to a WAV file (espeak-ng's own format: 22,050 Hz 16-bit mono).</summary>
    public static string Speak(string path, string text)
    {
        Run("espeak-ng", "-v", "en-us", "-w", path, text);
        return path;
    }

    /// <summary>Runs sox with arguments, e.g. Sox("in.wav", "-r", "16000", "out.wav").</summary>
    public static string Sox(params string[] args) => Run("sox", args);

    /// <summary>Runs lame, the MP3 encoder (sox here is built without MP3 support), e.g. Lame("-V", "2", "in.wav", "out.mp3").</summary>
    public static string Lame(params string[] args) => Run("lame", ["--quiet", .. args]);

    /// <summary>Runs soxi with arguments and returns its trimmed output (e.g. "-r" for the rate).</summary>
    public static string Soxi(params string[] args) => Run("soxi", args).Trim();

    public static string Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed (sudo apt-get install {tool}, or ./setup.sh)", e);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
            return stdout.Result;
        }
    }
}
