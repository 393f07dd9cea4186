using System.CommandLine;
using System.Diagnostics;
using Kit.Cli.Failures;
using Kit.Data.Audio;
using Kit.Models.Features;
using Kit.Models.Synthesis;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Metrics;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench voice`: does a voice come out of the kit's defaults? It makes a voice with espeak-ng or flite (the
/// Harvard sentences the kit ships), runs `kit params` on it with no override and `kit train` for a time
/// budget, printing each validation as it comes, then speaks held-out sentences from the best checkpoint
/// (Griffin-Lim). With Debian's pocketsphinx installed it prints the word error rate of that speech beside
/// the rate of the real recordings of the same sentences through the same mel → Griffin-Lim round trip.
/// </summary>
public sealed class VoiceBenchmark : IKitBenchmark
{
    public Command Create()
    {
        var clips = new Option<int>("--clips") { Description = "Clips in the voice (from the shipped sentences)", DefaultValueFactory = _ => 600 };
        var heldOut = new Option<int>("--held-out") { Description = "Sentences held out of training and spoken at the end", DefaultValueFactory = _ => 20 };
        var minutes = new Option<double>("--minutes") { Description = "Training time budget", DefaultValueFactory = _ => 20 };
        var steps = new Option<long?>("--max-steps") { Description = "Also stop at this step (for a short check)" };
        var validateEvery = new Option<int?>("--validate-every") { Description = "Validate every N steps instead of the defaults' ValFreq (for a short check; it shows as an override)" };
        var speaker = new Option<string>("--speaker")
        {
            Description = "The synthesizer that records the voice: espeak-ng, or flite (the one pocketsphinx can hear; see README)",
            DefaultValueFactory = _ => "espeak-ng",
        };
        speaker.AcceptOnlyFromAmong([.. VoiceBenchmarkSpeaker.All.Select(s => s.Name)]);
        var recipe = new Option<string>("--recipe") { Description = "The recipe `kit params` writes the run for", DefaultValueFactory = _ => "spectrogram-tiny" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for the run, speech, table and curve (default: build/bench/voice-RECIPE)" };
        var command = new Command("voice", "Train a voice from `kit params` defaults for a time budget: validations as they come, held-out speech and its word error rate")
        {
            clips, heldOut, minutes, steps, validateEvery, speaker, recipe, output,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var bench = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "bench"));
            var name = pr.GetValue(recipe)!;
            var folder = pr.GetValue(output)?.FullName ?? Path.Combine(bench, $"voice-{name}");
            var voice = VoiceBenchmarkSpeaker.Named(pr.GetValue(speaker)!)!;
            return await Run(voice, pr.GetValue(clips), pr.GetValue(heldOut), pr.GetValue(minutes), pr.GetValue(steps), pr.GetValue(validateEvery), name,
                Path.Combine(bench, $"voice-data-{voice.Name}-{pr.GetValue(clips)}-{pr.GetValue(heldOut)}"), folder, ct);
        });
        return command;
    }

    /// <summary>What the bench writes into its output folder.</summary>
    private static readonly string[] Written = ["params", "run", "speech", "kit.log", "validations.tsv", "curve.png", "recognized.tsv"];

    private static async Task<int> Run(VoiceBenchmarkSpeaker speaker, int clips, int heldOut, double minutes, long? maxSteps, int? validateEvery, string recipe, string data, string folder, CancellationToken ct)
    {
        var made = Stopwatch.StartNew();
        try
        {
            await ConsoleProgress.Items("speaking the voice", async progress =>
            {
                await VoiceBenchmarkDataset.CreateAsync(data, speaker, clips, heldOut, new Relay(progress, clips + heldOut), ct);
                return 0;
            });
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"kit bench voice: {e.Message}");
            return ExitCodes.BadInput;
        }
        Console.WriteLine($"voice: {clips} clips of {speaker.Name} (Harvard sentences) in {data}, {heldOut} held-out sentences (ready in {made.Elapsed.TotalSeconds:0.0} s)");

        // A fresh run each time; only what an earlier bench wrote is removed, so --out may name a folder with other files.
        foreach (var earlier in Written.Select(f => Path.Combine(folder, f)))
        {
            if (Directory.Exists(earlier)) Directory.Delete(earlier, recursive: true);
            else if (File.Exists(earlier)) File.Delete(earlier);
        }
        Directory.CreateDirectory(folder);
        var log = Path.Combine(folder, "kit.log");
        var paramsFolder = Path.Combine(folder, "params");
        string[] overrides = validateEvery is { } every ? ["--set", $"ValFreq={every}"] : [];
        if (await Kit(log, ct, ["params", data, "--recipe", recipe, "--out", paramsFolder, .. overrides]) is var code and not 0)
            return Failed("kit params", code, log);

        var run = Path.Combine(folder, "run");
        var train = new List<string> { "train", Path.Combine(paramsFolder, RunConfigFile.FileName), "--output", run, "--max-minutes", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (maxSteps is { } s) train.AddRange(["--max-steps", s.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Console.WriteLine($"kit train: {recipe} from `kit params` defaults{(validateEvery is { } v ? $" but ValFreq {v}" : "")}, {minutes:0.##} minutes{(maxSteps is { } m ? $" or {m} steps" : "")} on {Environment.ProcessorCount} core{(Environment.ProcessorCount == 1 ? "" : "s")} (log: {log})");
        Console.WriteLine("validations (free = free-running, tf = teacher-forced):");
        var curve = new VoiceBenchmarkCurve(Path.Combine(run, MetricsLog.FileName), DateTime.UtcNow);
        var training = Kit(log, ct, [.. train]);
        // The bench only reads what the trainer writes; a poll every two seconds is far finer than validations come.
        while (await Task.WhenAny(training, Task.Delay(TimeSpan.FromSeconds(2), ct)) != training)
            foreach (var line in curve.ReadNew()) Console.WriteLine(line);
        foreach (var line in curve.ReadNew()) Console.WriteLine(line);
        if (await training is var trained and not 0) return Failed("kit train", trained, log);
        if (curve.Count == 0) Console.WriteLine("(no validation within the budget)");
        curve.WriteTsv(Path.Combine(folder, "validations.tsv"));
        if (curve.WritePng(Path.Combine(folder, "curve.png"), $"kit bench voice: {recipe}, {clips} clips of {speaker.Name}") is { } png) Console.WriteLine($"curve: {png}");

        // What a run folder stands for wherever weights are read from one: best.json's step when intact, else the newest.
        var store = new CheckpointStore(run);
        if (store.FindBestOrNewestReadable() is not { } chosen)
        {
            Console.Error.WriteLine($"kit bench voice: {run}: the run saved no intact checkpoint");
            return ExitCodes.Failed;
        }
        var why = store.Best is { } best && best.Step == chosen.Step ? $"best by {best.MetricName}" : "the newest intact; no intact best.json step";
        return await Speak(data, folder, chosen.Folder, $"checkpoint step {chosen.Step} ({why})", heldOut, log, ct);
    }

    /// <summary>The held-out sentences spoken from <paramref name="checkpoint"/>, the real ones through Griffin-Lim, and the word error rates.</summary>
    private static async Task<int> Speak(string data, string folder, string checkpoint, string which, int heldOut, string log, CancellationToken ct)
    {
        var speech = Path.Combine(folder, "speech");
        Directory.CreateDirectory(speech);
        var lines = Path.Combine(data, "heldout", "sentences.txt");
        var sentences = File.ReadAllLines(lines);
        if (await Kit(log, ct, "speak", "--spectrogram-model", checkpoint, "--lines", lines, "-o", Path.Combine(speech, "spoken.wav")) is var code and not 0)
            return Failed("kit speak", code, log);
        string Spoken(int i) => Path.Combine(speech, sentences.Length == 1 ? "spoken.wav" : $"spoken-{i + 1:D3}.wav");
        string RoundTrip(int i) => Path.Combine(speech, $"real-griffin-lim-{i + 1:D3}.wav");

        // The fair reference: the real recording through the same mel settings and the same Griffin-Lim.
        MelSettings mel;
        using (var model = SpectrogramSynthesizer.Load(CheckpointPaths.Weights(checkpoint))) mel = model.Mel;
        using (var logMel = new LogMelSpectrogram(mel))
            for (var i = 0; i < sentences.Length; i++)
            {
                using var frames = logMel.Compute(WavReader.Read(VoiceBenchmarkDataset.HeldOutRecording(data, i)));
                WavWriter.Write(RoundTrip(i), new AudioClip(GriffinLim.Synthesize(frames, mel), mel.SampleRate), WavFormat.Pcm16);
            }
        var ratios = Enumerable.Range(0, sentences.Length)
            .Select(i => WavReader.Probe(Spoken(i)).DurationSeconds / WavReader.Probe(RoundTrip(i)).DurationSeconds).Order().ToArray();
        Console.WriteLine($"held-out speech: {sentences.Length} sentences from {which} with Griffin-Lim in {speech}; " +
                          $"length vs the real recording: median {ratios[ratios.Length / 2]:0.00}");

        if (VoiceBenchmarkRecognizer.Find() is not { } recognizer)
        {
            Console.WriteLine("word error rate: skipped (pocketsphinx is not installed: apt-get install pocketsphinx pocketsphinx-en-us sox)");
            return ExitCodes.Ok;
        }
        var heard = new string[sentences.Length * 2];
        await Parallel.ForEachAsync(Enumerable.Range(0, heard.Length), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (k, token) => heard[k] = await recognizer.RecognizeAsync(k % 2 == 0 ? Spoken(k / 2) : RoundTrip(k / 2), token));
        var report = new List<string> { "sentence\tspoken heard\treal (Griffin-Lim) heard" };
        report.AddRange(sentences.Select((s, i) => $"{s}\t{heard[2 * i]}\t{heard[2 * i + 1]}"));
        var words = sentences.Sum(s => VoiceBenchmarkWordErrorRate.Words(s).Length);
        var spoken = VoiceBenchmarkWordErrorRate.Percent(sentences.Select((s, i) => (s, heard[2 * i])));
        var real = VoiceBenchmarkWordErrorRate.Percent(sentences.Select((s, i) => (s, heard[2 * i + 1])));
        File.WriteAllLines(Path.Combine(folder, "recognized.tsv"), report);
        Console.WriteLine($"word error rate ({recognizer.Name}, {words} words): spoken {spoken:0.0}%, " +
                          $"real recordings through the same Griffin-Lim {real:0.0}%  (what was heard: {Path.Combine(folder, "recognized.tsv")})");
        return ExitCodes.Ok;
    }

    /// <summary>Runs `kit ARGS` (this same build) with its output appended to <paramref name="log"/> as it comes; its exit code.</summary>
    private static async Task<int> Kit(string log, CancellationToken ct, params string[] args)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        await using var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        await writer.WriteLineAsync($"$ kit {string.Join(' ', args)}");
        using var p = new Process { StartInfo = psi };
        void Write(object _, DataReceivedEventArgs e)
        {
            if (e.Data is not null) lock (writer) writer.WriteLine(e.Data);
        }
        p.OutputDataReceived += Write;
        p.ErrorDataReceived += Write;
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await p.WaitForExitAsync(ct);
        return p.ExitCode;
    }

    private static int Failed(string what, int code, string log)
    {
        Console.Error.WriteLine($"kit bench voice: {what} failed (exit code {code}); its output is in {log}:");
        foreach (var line in File.ReadLines(log).TakeLast(15)) Console.Error.WriteLine("  " + line);
        return code;
    }

    private sealed class Relay(IProgress<(int, int)> inner, int total) : IProgress<int>
    {
        public void Report(int value) => inner.Report((value, total));
    }
}
