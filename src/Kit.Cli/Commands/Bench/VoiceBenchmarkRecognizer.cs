using Kit.Data.Samples;
using System.Text.Json;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// An off-the-shelf recognizer for the benchmark's word error rate: CMU PocketSphinx as Debian packages it
/// (`apt-get install pocketsphinx pocketsphinx-en-us`; never a kit dependency). Debian 12's 0.8 has
/// `pocketsphinx_continuous -infile`; 5.x has `pocketsphinx single FILE` (JSON out). Both want 16 kHz mono,
/// which sox makes.
/// </summary>
internal sealed class VoiceBenchmarkRecognizer
{
    private const string Model = "/usr/share/pocketsphinx/model/en-us";

    private readonly string _sox;
    private readonly string? _continuous, _single;

    private VoiceBenchmarkRecognizer(string sox, string? continuous, string? single)
    {
        _sox = sox; _continuous = continuous; _single = single;
    }

    /// <summary>The recognizer when installed (with its English model and sox), else null.</summary>
    public static VoiceBenchmarkRecognizer? Find()
    {
        var sox = ExternalTool.Find("sox");
        var continuous = ExternalTool.Find("pocketsphinx_continuous");
        var single = ExternalTool.Find("pocketsphinx");
        if (sox is null || (continuous is null && single is null)) return null;
        if (continuous is not null && !Directory.Exists(Path.Combine(Model, "en-us"))) return null;
        return new VoiceBenchmarkRecognizer(sox, continuous, single);
    }

    public string Name => _continuous is not null ? "pocketsphinx 0.8 (Debian's pocketsphinx-en-us model)" : "pocketsphinx 5 (its default en-us model)";

    /// <summary>The words heard in <paramref name="wav"/>.</summary>
    public async Task<string> RecognizeAsync(string wav, CancellationToken ct)
    {
        var sixteen = Path.Combine(Path.GetTempPath(), $"kit-voice-bench-{Guid.NewGuid():N}.wav");
        try
        {
            await SixteenKilohertzAsync(_sox, wav, sixteen, ct);
            if (_continuous is not null)
                return (await ExternalTool.RunAsync(_continuous,
                    ["-infile", sixteen, "-hmm", Path.Combine(Model, "en-us"), "-lm", Path.Combine(Model, "en-us.lm.bin"),
                     "-dict", Path.Combine(Model, "cmudict-en-us.dict"), "-logfn", "/dev/null"], null, ct)).Trim();
            var json = await ExternalTool.RunAsync(_single!, ["single", sixteen], null, ct);
            return string.Join(' ', json.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.TryGetProperty("t", out var t) ? t.GetString() : "")).Trim();
        }
        finally
        {
            File.Delete(sixteen);
        }
    }

    /// <summary>
    /// The recognizer's 16 kHz mono copy. Without -D sox dithers the resampled audio with fresh noise each run,
    /// and the same WAV was heard differently: 30.4-32.4 % WER on one set of 20 recordings.
    /// </summary>
    internal static Task SixteenKilohertzAsync(string sox, string wav, string target, CancellationToken ct) =>
        ExternalTool.RunAsync(sox, ["-D", wav, "-r", "16000", "-c", "1", "-b", "16", target], null, ct);
}
