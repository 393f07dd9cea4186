using System.Globalization;
using System.Text;
using Kit.Data.Audio;

namespace Kit.Data.Samples;

/// <summary>
/// Makes the kit's built-in dataset: real speech from espeak-ng in LJSpeech format (22,050 Hz 16-bit mono
/// WAV under wavs/, metadata.csv as `id|text|normalized`, train.txt / val.txt as `wavs/id.wav|text`).
/// The same clip count always gives the same files.
/// </summary>
public static class SampleDataset
{
    public const int SampleRate = 22050;

    /// <summary>Written last: a folder with this stamp (for the same clip count) is complete and reused.</summary>
    private const string StampFile = ".kit-sample-dataset";
    private const int Version = 2; // bump when the sentences or the voice settings change

    // For clip counts beyond the shipped sentences: a lead-in makes each repeat a distinct transcript.
    private static readonly string[] LeadIns =
        ["Once again,", "Then,", "Later,", "Meanwhile,", "As before,", "In the end,", "Still,", "Even so,",
         "After that,", "Of course,", "By then,", "At last,"];

    /// <summary>The id of clip <paramref name="index"/> (0-based).</summary>
    public static string ClipId(int index) => $"kit-{index + 1:D4}";

    /// <summary>Whether clip <paramref name="index"/> goes to val.txt: every tenth clip (the last one below ten).</summary>
    public static bool IsValidation(int index, int clips) =>
        clips >= 10 ? index % 10 == 9 : clips >= 2 && index == clips - 1;

    /// <summary>The sentence clip <paramref name="index"/> speaks.</summary>
    public static SampleSentence Sentence(int index)
    {
        var all = SampleSentences.All;
        var s = all[index % all.Count];
        int round = index / all.Count;
        if (round == 0) return s;
        var lead = LeadIns[(round - 1) % LeadIns.Length];
        return new SampleSentence($"{lead} {Uncapitalize(s.Text)}", $"{lead} {Uncapitalize(s.Normalized)}");
    }

    /// <summary>
    /// Makes (or reuses, when already complete for <paramref name="clips"/>) the dataset in <paramref name="folder"/>.
    /// Reports finished clips to <paramref name="progress"/>.
    /// </summary>
    public static async Task CreateAsync(string folder, int clips, IProgress<int>? progress = null, CancellationToken cancel = default)
    {
        if (clips < 1) throw new ArgumentOutOfRangeException(nameof(clips), "a dataset needs at least one clip");
        var stamp = Path.Combine(folder, StampFile);
        var expected = $"version={Version} clips={clips}";
        if (File.Exists(stamp) && File.ReadAllText(stamp).Trim() == expected) { progress?.Report(clips); return; }

        var espeak = Espeak();
        var wavs = Path.Combine(folder, "wavs");
        Directory.CreateDirectory(wavs);
        File.Delete(stamp);

        int done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, clips),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2, CancellationToken = cancel },
            async (i, ct) =>
            {
                await SpeakAsync(espeak, i, Sentence(i).Text, Path.Combine(wavs, ClipId(i) + ".wav"), ct);
                progress?.Report(Interlocked.Increment(ref done));
            });

        var metadata = new StringBuilder();
        var train = new StringBuilder();
        var val = new StringBuilder();
        for (int i = 0; i < clips; i++)
        {
            var s = Sentence(i);
            var id = ClipId(i);
            metadata.Append(id).Append('|').Append(s.Text).Append('|').Append(s.Normalized).Append('\n');
            (IsValidation(i, clips) ? val : train).Append("wavs/").Append(id).Append(".wav|").Append(s.Text).Append('\n');
        }
        WriteAtomically(Path.Combine(folder, "metadata.csv"), metadata.ToString());
        WriteAtomically(Path.Combine(folder, "train.txt"), train.ToString());
        WriteAtomically(Path.Combine(folder, "val.txt"), val.ToString());
        File.WriteAllText(stamp, expected + "\n");
    }

    /// <summary>espeak-ng's path, or a one-line error saying how to install it.</summary>
    public static string Espeak() => ExternalTool.Find("espeak-ng") ?? throw new InvalidOperationException(
        "espeak-ng is not installed: run ./setup.sh, or sudo apt-get install espeak-ng sox");

    /// <summary>
    /// Speaks <paramref name="text"/> to a 22,050 Hz 16-bit mono WAV, converting with sox if espeak-ng's voice differs;
    /// <paramref name="index"/> picks the clip's small variation of speed and pitch.
    /// </summary>
    public static async Task SpeakAsync(string espeak, int index, string text, string path, CancellationToken ct)
    {
        var partial = path + ".partial.wav";
        // Small, deterministic variations in speed and pitch so durations and rates spread like real speech.
        var speed = (155 + index * 7 % 30).ToString(CultureInfo.InvariantCulture);
        var pitch = (40 + index * 13 % 25).ToString(CultureInfo.InvariantCulture);
        await ExternalTool.RunAsync(espeak, ["-v", "en-us", "-s", speed, "-p", pitch, "-w", partial, "--stdin"], text, ct);

        await ToSampleFormatAsync(partial, path, "espeak-ng", ct);
    }

    /// <summary>
    /// Moves <paramref name="partial"/> (a speech synthesizer's WAV) to <paramref name="path"/> as 22,050 Hz 16-bit mono,
    /// converting with sox when <paramref name="speaker"/> wrote another format.
    /// </summary>
    public static async Task ToSampleFormatAsync(string partial, string path, string speaker, CancellationToken ct)
    {
        var info = WavReader.Probe(partial);
        if (info is { SampleRate: SampleRate, Channels: 1, BitsPerSample: 16, Encoding: SampleEncoding.Pcm })
        {
            File.Move(partial, path, overwrite: true);
            return;
        }
        var sox = ExternalTool.Find("sox") ?? throw new InvalidOperationException(
            $"{speaker} wrote {info.Describe()} audio and sox, needed to convert it, is not installed: sudo apt-get install sox");
        var converted = path + ".sox.wav";
        await ExternalTool.RunAsync(sox, [partial, "-r", SampleRate.ToString(CultureInfo.InvariantCulture), "-c", "1", "-b", "16", converted], null, ct);
        File.Move(converted, path, overwrite: true);
        File.Delete(partial);
    }

    private static void WriteAtomically(string path, string content)
    {
        File.WriteAllText(path + ".partial", content, new UTF8Encoding(false));
        File.Move(path + ".partial", path, overwrite: true);
    }

    private static string Uncapitalize(string s) =>
        // "The" becomes "the"; "I", "Dr." and other abbreviations keep their capital.
        s.Length > 1 && char.IsUpper(s[0]) && char.IsLower(s[1]) && !s.Split(' ')[0].Contains('.') ? char.ToLowerInvariant(s[0]) + s[1..] : s;
}
