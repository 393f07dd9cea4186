using System.CommandLine;
using Kit.Data.Audio;
using Kit.Models.Synthesis;
using Kit.Training.Checkpoints;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit speak --spectrogram-model CKPT [--signal-model CKPT] "text" -o out.wav`: text to speech with trained
/// models; the signal model (WaveRNN) makes the audio, or Griffin-Lim when none is given.
/// </summary>
public sealed class SpeakCommand : IKitCommand
{
    public Command Create()
    {
        var text = new Argument<string[]>("text") { Description = "Lines to speak (or give --lines FILE)", Arity = ArgumentArity.ZeroOrMore };
        var spectrogram = new Option<string>("--spectrogram-model") { Description = "Spectrogram model weights: model.pth, a checkpoint folder or a run folder (its best checkpoint by best.json, else its newest)", Required = true };
        var signal = new Option<string?>("--signal-model") { Description = "Signal model (WaveRNN) weights: model.pth, a checkpoint folder or a run folder; without it Griffin-Lim makes the audio" };
        var output = new Option<FileInfo?>("-o", "--output") { Description = "The WAV to write (one line); with several lines, NAME-001.wav, NAME-002.wav, ..." };
        var lines = new Option<FileInfo?>("--lines") { Description = "A UTF-8 file with one line of text per line, spoken in batches" };
        var batch = new Option<int>("--batch-size") { Description = "Lines synthesized together", DefaultValueFactory = _ => 8 };
        var command = new Command("speak", "Speak text with a trained spectrogram model; the signal model (or Griffin-Lim) turns the spectrogram into audio.")
            { text, spectrogram, signal, output, lines, batch };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var all = (pr.GetValue(text) ?? []).ToList();
            if (pr.GetValue(lines) is { } file)
            {
                if (!file.Exists) { Console.Error.WriteLine($"kit speak: {file.FullName}: no such file"); return Task.FromResult(2); }
                all.AddRange(File.ReadAllLines(file.FullName).Where(l => l.Trim().Length > 0));
            }
            if (all.Count == 0) { Console.Error.WriteLine("kit speak: no text; give lines as arguments or --lines FILE"); return Task.FromResult(2); }
            var target = pr.GetValue(output)?.FullName ?? Path.GetFullPath("speech.wav");
            var targets = all.Count == 1 ? [target]
                : Enumerable.Range(1, all.Count).Select(i => Path.Combine(Path.GetDirectoryName(target)!, $"{Path.GetFileNameWithoutExtension(target)}-{i:000}.wav")).ToList();
            if (CannotWrite(targets) is { } why)
            {
                Console.Error.WriteLine($"kit speak: -o {pr.GetValue(output)?.ToString() ?? "speech.wav"}: {why}");
                return Task.FromResult(2);
            }
            try
            {
                var spectrogramPath = NewestIntact(pr.GetValue(spectrogram)!, "spectrogram model");
                var signalPath = pr.GetValue(signal) is { } s ? NewestIntact(s, "signal model") : null;
                using var synthesizer = Synthesizer.Load(CheckpointPaths.Weights(spectrogramPath), signalPath is null ? null : CheckpointPaths.Weights(signalPath));
                Console.WriteLine($"signal model: {synthesizer.SignalModelName}");
                foreach (var line in Kit.TorchExtras.TorchEngine.Lines) Console.WriteLine(line);
                var started = DateTime.UtcNow;
                var spoken = synthesizer.Speak(all, Math.Max(1, pr.GetValue(batch)), Console.WriteLine);
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                for (var i = 0; i < spoken.Count; i++)
                {
                    try { WavWriter.Write(targets[i], spoken[i].Audio, WavFormat.Pcm16); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // The path was writable before the synthesis: this is the work failing (a full disk), exit 1.
                        Console.Error.WriteLine($"kit speak: writing {targets[i]} failed: {e.Message}");
                        return Task.FromResult(1);
                    }
                    Console.WriteLine($"{targets[i]}: {spoken[i].Audio.DurationSeconds:F2} s, \"{spoken[i].Text}\"");
                }
                var audio = spoken.Sum(s => s.Audio.DurationSeconds);
                Console.WriteLine($"{audio:F2} s of audio in {seconds:F2} s (real-time factor {seconds / Math.Max(audio, 1e-9):F2})");
                return Task.FromResult(0);
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                Console.Error.WriteLine($"kit speak: {e.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }

    /// <summary>
    /// Why the WAVs cannot be written where -o puts them, found before the models load and the synthesis runs
    /// (which take minutes); null when they can. A -o that cannot be used is a setting to change: exit 2.
    /// </summary>
    private static string? CannotWrite(IReadOnlyList<string> paths)
    {
        if (paths.FirstOrDefault(Directory.Exists) is { } folder)
            return $"{folder} is a folder; give the WAV file's name, e.g. -o {Path.Combine(folder, "speech.wav")}";
        var parent = Path.GetDirectoryName(paths[0])!;
        var existing = parent;
        while (!Directory.Exists(existing) && !File.Exists(existing)) existing = Path.GetDirectoryName(existing)!;
        if (File.Exists(existing))
            return $"{existing} is a file, so no folder can be made under it; give -o a path in a folder";
        var probe = Path.Combine(parent, $".kit-speak-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(parent);
            // Making (and deleting) a file is the one test of writing that holds for root, ACLs and read-only mounts alike.
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            foreach (var path in paths.Where(File.Exists))
                using (new FileStream(path, FileMode.Open, FileAccess.Write)) { }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "the file system there takes no new files",
                _ => e.Message.Replace(probe, parent),
            };
            return $"cannot make a file in {parent} ({reason}); give -o a path in a folder you can write to";
        }
    }

    /// <summary>
    /// A run folder stands for its best checkpoint (best.json, by the run's best metric) when intact, else its
    /// newest intact one: which step that is gets said, and every step passed over (damaged) is named with why,
    /// so an older voice is never used in silence.
    /// </summary>
    private static string NewestIntact(string path, string what)
    {
        if (!Directory.Exists(path) || File.Exists(Path.Combine(path, CheckpointFiles.InferenceWeights))
            || !Directory.Exists(Path.Combine(path, CheckpointFiles.CheckpointsFolder))) return path;
        var store = new CheckpointStore(path);
        var skipped = new List<string>();
        var newest = store.FindBestOrNewestReadable(skipped.Add);
        foreach (var line in skipped) Console.Error.WriteLine($"kit speak: {line}");
        if (newest is null) return path; // the loader's message names the folder
        var best = store.Best is { } b && b.Step == newest.Step ? $" (the best by {b.MetricName}, {b.MetricValue:0.####})" : null;
        Console.WriteLine($"{what}: checkpoint step {newest.Step} of {Path.GetFullPath(path)}" + (best ??
                          (skipped.Count > 0 ? $" (the newest intact; {skipped.Count} newer {(skipped.Count == 1 ? "step is" : "steps are")} damaged, see above)" : "")));
        return newest.Folder;
    }
}
