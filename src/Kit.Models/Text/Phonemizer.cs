using System.Diagnostics;
using System.Text;
using Kit.Data.Caching;

namespace Kit.Models.Text;

/// <summary>
/// IPA phonemes from espeak-ng (`espeak-ng --ipa -q`), one process per line not yet seen, cached on disk in
/// a small tab-separated file (hash of voice and line, then the phonemes) so an epoch never runs espeak twice.
/// </summary>
public sealed class Phonemizer
{
    private readonly string? _cacheFile;
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    public string Voice { get; }

    /// <param name="cacheFile">Where phonemes are kept between runs (null: in memory only).</param>
    public Phonemizer(string? cacheFile = null, string voice = "en-us")
    {
        Voice = voice;
        _cacheFile = cacheFile;
        if (cacheFile is not null && File.Exists(cacheFile))
            foreach (var line in File.ReadLines(cacheFile))
                if (line.Split('\t', 2) is [var key, var ipa]) _cache[key] = ipa;
    }

    public string Phonemize(string text)
    {
        var key = Key(text);
        lock (_lock)
            if (_cache.TryGetValue(key, out var hit)) return hit;
        var ipa = RunEspeak(text);
        lock (_lock)
        {
            if (_cache.TryAdd(key, ipa) && _cacheFile is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_cacheFile))!);
                File.AppendAllText(_cacheFile, key + "\t" + ipa + "\n");
            }
        }
        return ipa;
    }

    private string Key(string text) => CacheKey.Of(Voice, text);

    private string RunEspeak(string text)
    {
        var psi = new ProcessStartInfo("espeak-ng")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8, StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var a in new[] { "--ipa", "-q", "-v", Voice }) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("espeak-ng is not installed; phonemes need it (sudo apt-get install espeak-ng, or ./setup.sh)", e);
        }
        using (p)
        {
            // Text on stdin, not the command line: a line starting with '-' must not read as an option.
            p.StandardInput.Write(text);
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"espeak-ng failed ({p.ExitCode}) on \"{text}\": {stderr.Result}");
            // espeak-ng writes one line per clause; the model reads them as one line separated by spaces.
            return string.Join(' ', stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
    }
}
