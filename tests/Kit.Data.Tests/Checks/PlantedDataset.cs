using System.Text;
using Kit.Data.Audio;
using Kit.Data.Checks;
using Kit.TestSupport;

namespace Kit.Data.Tests.Checks;

/// <summary>
/// The sample dataset with one problem planted per line (real files made with sox and the kit's writer),
/// checked once for all the tests that look for each code.
/// </summary>
public sealed class PlantedDataset : IDisposable
{
    private readonly TempDir _dir = new("kit-planted");

    /// <summary>Planted code → (list file, line) where it must be reported.</summary>
    public Dictionary<string, (string List, int Line)> Planted { get; } = new();

    /// <summary>Lines of the untouched sample clips, which must have no finding at all.</summary>
    public List<(string List, int Line)> CleanLines { get; } = new();

    public DatasetCheckReport Report { get; }

    public string Root => _dir.Path;

    public PlantedDataset()
    {
        SampleDatasets.CopyTo(_dir.Path);
        string Wav(string name) => _dir["wavs/" + name];
        string Clip(int i) => Wav($"kit-{i:D4}.wav");
        // Planted clips keep the transcript of the sample clip they were made from.

        AudioTools.Sox(Clip(1), "-r", "16000", Wav("rate.wav"));
        AudioTools.Sox(Clip(2), "-c", "2", Wav("stereo.wav"));
        AudioTools.Sox(Clip(3), Wav("short.wav"), "trim", "0", "0.3");
        // Three clips slowed down: over the limit while the text keeps a normal speaking rate and length.
        AudioTools.Sox(Clip(4), Clip(5), Clip(6), Wav("long.wav"), "tempo", "0.7");
        AudioTools.Sox("-D", Clip(9), Wav("loud.wav"), "vol", "8");
        AudioTools.Sox("-n", "-r", "22050", "-c", "1", "-b", "16", Wav("silent.wav"), "trim", "0", "2");
        AudioTools.Sox(Clip(10), Wav("padded.wav"), "pad", "2", "2");
        AudioTools.Sox("-D", Clip(11), "-b", "8", Wav("eight.wav"));
        var bytes = File.ReadAllBytes(Clip(12));
        File.WriteAllBytes(Wav("truncated.wav"), bytes[..(bytes.Length / 3)]);
        // The kit's own writer for a format sox was not asked for: float64 extensible, which must pass clean.
        // Lines about text get their own copy of a clip, so they do not also list a sample clip twice.
        foreach (var (name, i) in new[] { ("empty", 14), ("text-long", 15), ("fast", 16), ("emoji", 17), ("latin1", 18) })
            File.Copy(Clip(i), Wav(name + ".wav"));
        WavWriter.Write(Wav("float64.wav"), WavReader.Read(Clip(13)), new WavFormat(SampleEncoding.Float, 64, Extensible: true));

        var sampleTrain = File.ReadAllLines(_dir["train.txt"]);
        var sampleVal = File.ReadAllLines(_dir["val.txt"]);
        var train = new List<string>(sampleTrain);
        for (int i = 1; i <= train.Count; i++) CleanLines.Add(("train.txt", i));
        void Plant(string code, string line)
        {
            train.Add(line);
            Planted[code] = ("train.txt", train.Count);
        }
        Plant(FindingCodes.MissingAudio, "wavs/does-not-exist.wav|A clip that was never recorded.");
        Plant(FindingCodes.UnreadableAudio, "wavs/truncated.wav|A clip cut short by a failed copy.");
        Plant(FindingCodes.MalformedLine, "a line with no separator at all");
        Plant(FindingCodes.EmptyText, "wavs/empty.wav|   ");
        Plant(FindingCodes.DuplicateEntry, sampleTrain[0]);
        Plant(FindingCodes.SampleRateMismatch, "wavs/rate.wav|" + Said(1));
        Plant(FindingCodes.NotMono, "wavs/stereo.wav|" + Said(2));
        Plant(FindingCodes.TooShort, "wavs/short.wav|The.");
        var longText = string.Join(' ', Enumerable.Range(4, 3).Select(Said));
        Plant(FindingCodes.TooLong, "wavs/long.wav|" + longText[..Math.Min(195, longText.Length)]);
        Plant(FindingCodes.TextTooLong, "wavs/text-long.wav|" + string.Concat(Enumerable.Repeat("This transcript keeps going far past the limit. ", 6)));
        Plant(FindingCodes.Clipping, "wavs/loud.wav|" + Said(9));
        Plant(FindingCodes.Silent, "wavs/silent.wav|Nothing was said here.");
        Plant(FindingCodes.LongSilence, "wavs/padded.wav|" + Said(10));
        Plant(FindingCodes.SpeakingRateOutlier, "wavs/fast.wav|" + Said(15) + " " + Said(16));
        Plant(FindingCodes.UnsupportedCharacters, "wavs/emoji.wav|" + Said(17) + " \U0001F389\tparty");
        Plant(FindingCodes.DuplicateText, "wavs/float64.wav|" + Said(13, exact: true));
        Plant(FindingCodes.LowBitDepth, "wavs/eight.wav|" + Said(11));

        var trainBytes = Encoding.UTF8.GetBytes(string.Join('\n', train) + "\n").ToList();
        // Latin-1 "café": the file was saved in another encoding.
        trainBytes.AddRange(Encoding.Latin1.GetBytes("wavs/latin1.wav|A caf\u00e9 by the sea.\n"));
        Planted[FindingCodes.InvalidUtf8] = ("train.txt", train.Count + 1);
        File.WriteAllBytes(_dir["train.txt"], trainBytes.ToArray());

        var val = new List<string>(sampleVal) { sampleTrain[3] };
        Planted[FindingCodes.SplitOverlap] = ("val.txt", val.Count);
        File.WriteAllLines(_dir["val.txt"], val);
        for (int i = 1; i <= sampleVal.Length; i++) CleanLines.Add(("val.txt", i));

        File.WriteAllText(_dir["metadata.csv"], "");
        Planted[FindingCodes.EmptyList] = ("metadata.csv", 0);

        Report = DatasetCheck.Run(_dir.Path);
    }

    // A sample clip's transcript, changed a little: the planted line reuses the words, not the exact text
    // (which would be duplicate-text), and keeps a normal speaking rate.
    private string Said(int clip) => Said(clip, exact: false);

    private string Said(int clip, bool exact)
    {
        var line = File.ReadLines(SampleDatasets.Get() + "/metadata.csv").Single(l => l.StartsWith($"kit-{clip:D4}|")).Split('|')[1];
        return exact ? line : line + " Once more.";
    }

    public void Dispose() => _dir.Dispose();
}
