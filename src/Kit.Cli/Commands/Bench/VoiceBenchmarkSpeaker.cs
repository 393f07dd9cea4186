using System.Globalization;
using Kit.Data.Samples;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The speech synthesizer that records the bench voice. espeak-ng is the kit's own sample speaker (setup.sh installs
/// it), but pocketsphinx cannot hear it: on espeak-ng's own recordings of the held-out Harvard sentences Debian's
/// pocketsphinx 0.8 gets 90% of the words wrong, so a word error rate of speech learnt from it says nothing. CMU's
/// flite (`apt-get install flite`) is a voice the same lab's recognizer hears (about one word in ten wrong on its
/// recordings), which makes the intelligibility figure mean something. Both are benchmark tools, not kit dependencies.
/// </summary>
internal sealed record VoiceBenchmarkSpeaker(string Name, string Install, Func<string, int, string, string, CancellationToken, Task> Speak)
{
    public static readonly IReadOnlyList<VoiceBenchmarkSpeaker> All =
    [
        new("espeak-ng", "sudo apt-get install espeak-ng sox", SampleDataset.SpeakAsync),
        new("flite", "sudo apt-get install flite sox", SpeakFlite),
    ];

    public static VoiceBenchmarkSpeaker? Named(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>The synthesizer's path; the --speaker named one that is not installed: a one-line error saying how to install it.</summary>
    public string Find() => ExternalTool.Find(Name) ?? throw new ArgumentException($"--speaker {Name}: {Name} is not installed: {Install}");

    /// <summary>flite's slt voice (a US English woman, 16 kHz), converted to the dataset's 22,050 Hz.</summary>
    private static async Task SpeakFlite(string flite, int index, string text, string path, CancellationToken ct)
    {
        var partial = path + ".partial.wav";
        // The same kind of small, deterministic spread of speed and pitch as the espeak-ng voice's.
        var stretch = (0.9 + index * 7 % 30 / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
        var pitch = (160 + index * 13 % 25).ToString(CultureInfo.InvariantCulture);
        await ExternalTool.RunAsync(flite, ["-voice", "slt", "--setf", $"duration_stretch={stretch}", "--setf", $"int_f0_target_mean={pitch}",
                                            "-t", text, "-o", partial], null, ct);
        await SampleDataset.ToSampleFormatAsync(partial, path, "flite", ct);
    }
}
