using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kit.Data.Audio;
using Kit.Data.Samples;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The voice `kit bench voice` trains on: espeak-ng speaking the Harvard sentences the kit ships
/// (kit-bench/harvard-sentences.txt) in LJSpeech format, the first N as the dataset (every tenth clip to
/// val.txt, as the sample dataset does) and the file's last ones as held-out sentences, never trained on,
/// recorded too so the speech made from them can be compared with the real thing.
/// </summary>
internal static class VoiceBenchmarkDataset
{
    private const string StampFile = ".kit-voice-bench";
    private const int Version = 1; // bump when the sentences or the voice settings change

    public static IReadOnlyList<string> Sentences()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "kit-bench", "harvard-sentences.txt");
        return File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
    }

    /// <summary>The sentences held out: the file's last <paramref name="count"/>.</summary>
    public static IReadOnlyList<string> HeldOut(IReadOnlyList<string> sentences, int count) => sentences.Skip(sentences.Count - count).ToList();

    /// <summary>Real recordings of the held-out sentences, in the order given: heldout/real-001.wav, ….</summary>
    public static string HeldOutRecording(string folder, int index) => Path.Combine(folder, "heldout", $"real-{index + 1:D3}.wav");

    /// <summary>Makes (or reuses, when complete for the same counts) the dataset and held-out recordings in <paramref name="folder"/>.</summary>
    public static async Task CreateAsync(string folder, int clips, int heldOut, IProgress<int>? progress, CancellationToken ct)
    {
        var sentences = Sentences();
        if (clips < 2 || heldOut < 1 || clips + heldOut > sentences.Count)
            throw new ArgumentException($"--clips {clips} and --held-out {heldOut}: the two must be at least 2 and 1 and add up to at most the {sentences.Count} shipped sentences");
        var stamp = Path.Combine(folder, StampFile);
        var expected = $"version={Version} clips={clips} held-out={heldOut} sentences={sentences.Count}";
        if (File.Exists(stamp) && File.ReadAllText(stamp).Trim() == expected) { progress?.Report(clips + heldOut); return; }

        var espeak = FindTool("espeak-ng") ?? throw new InvalidOperationException("espeak-ng is not installed: run ./setup.sh, or apt-get install espeak-ng sox");
        Directory.CreateDirectory(Path.Combine(folder, "wavs"));
        Directory.CreateDirectory(Path.Combine(folder, "heldout"));
        File.Delete(stamp);
        var held = HeldOut(sentences, heldOut);
        var jobs = Enumerable.Range(0, clips).Select(i => (Index: i, Text: sentences[i], Path: Path.Combine(folder, "wavs", SampleDataset.ClipId(i) + ".wav")))
            .Concat(held.Select((text, i) => (Index: sentences.Count - heldOut + i, Text: text, Path: HeldOutRecording(folder, i))));
        int done = 0;
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2, CancellationToken = ct },
            async (job, token) =>
            {
                await SpeakAsync(espeak, job.Index, job.Text, job.Path, token);
                progress?.Report(Interlocked.Increment(ref done));
            });

        var metadata = new StringBuilder();
        var train = new StringBuilder();
        var val = new StringBuilder();
        for (var i = 0; i < clips; i++)
        {
            var id = SampleDataset.ClipId(i);
            metadata.Append(id).Append('|').Append(sentences[i]).Append('|').Append(sentences[i]).Append('\n');
            (SampleDataset.IsValidation(i, clips) ? val : train).Append("wavs/").Append(id).Append(".wav|").Append(sentences[i]).Append('\n');
        }
        File.WriteAllText(Path.Combine(folder, "metadata.csv"), metadata.ToString());
        File.WriteAllText(Path.Combine(folder, "train.txt"), train.ToString());
        File.WriteAllText(Path.Combine(folder, "val.txt"), val.ToString());
        File.WriteAllLines(Path.Combine(folder, "heldout", "sentences.txt"), held);
        File.WriteAllText(stamp, expected + "\n");
    }

    /// <summary>One sentence to a 22,050 Hz 16-bit mono WAV, with the sample dataset's small spread of speed and pitch.</summary>
    private static async Task SpeakAsync(string espeak, int index, string text, string path, CancellationToken ct)
    {
        var partial = path + ".partial.wav";
        var speed = (155 + index * 7 % 30).ToString(CultureInfo.InvariantCulture);
        var pitch = (40 + index * 13 % 25).ToString(CultureInfo.InvariantCulture);
        await RunAsync(espeak, ["-v", "en-us", "-s", speed, "-p", pitch, "-w", partial, "--stdin"], text, ct);
        if (WavReader.Probe(partial) is { SampleRate: SampleDataset.SampleRate, Channels: 1, BitsPerSample: 16, Encoding: SampleEncoding.Pcm })
        {
            File.Move(partial, path, overwrite: true);
            return;
        }
        var sox = FindTool("sox") ?? throw new InvalidOperationException("espeak-ng's voice is not 22,050 Hz 16-bit mono and sox, needed to convert it, is not installed");
        await RunAsync(sox, [partial, "-r", "22050", "-c", "1", "-b", "16", path], null, ct);
        File.Delete(partial);
    }

    /// <summary>Runs a tool to the end; its standard output, or a one-line error naming the tool and its message.</summary>
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

    public static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
}
