using System.Text;
using Kit.Data.Samples;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The voice `kit bench voice` trains on: a speech synthesizer (<see cref="VoiceBenchmarkSpeaker"/>) speaking the Harvard sentences the kit ships
/// (kit-bench/harvard-sentences.txt) in LJSpeech format, the first N as the dataset (every tenth clip to
/// val.txt, as the sample dataset does) and the file's last ones as held-out sentences, never trained on,
/// recorded too so the speech made from them can be compared with the real thing.
/// </summary>
internal static class VoiceBenchmarkDataset
{
    private const string StampFile = ".kit-voice-bench";
    private const int Version = 2; // bump when the sentences or the voice settings change

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
    public static async Task CreateAsync(string folder, VoiceBenchmarkSpeaker speaker, int clips, int heldOut, IProgress<int>? progress, CancellationToken ct)
    {
        var sentences = Sentences();
        if (clips < 2 || heldOut < 1 || clips + heldOut > sentences.Count)
            throw new ArgumentException($"--clips {clips} and --held-out {heldOut}: the two must be at least 2 and 1 and add up to at most the {sentences.Count} shipped sentences");
        var stamp = Path.Combine(folder, StampFile);
        var expected = $"version={Version} speaker={speaker.Name} clips={clips} held-out={heldOut} sentences={sentences.Count}";
        if (File.Exists(stamp) && File.ReadAllText(stamp).Trim() == expected) { progress?.Report(clips + heldOut); return; }

        var tool = speaker.Find();
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
                await speaker.Speak(tool, job.Index, job.Text, job.Path, token);
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
}
