using Kit.Data.Audio;
using Kit.Display.Charts;

namespace Kit.Models.Synthesis;

/// <summary>One spoken line: the audio, and the spectrogram and attention it came from (for showing).</summary>
public sealed record SpokenLine(string Text, AudioClip Audio, float[] Mel, int MelBins, int Frames, float[,] Alignment)
{
    public Heatmap SpectrogramChart() => Heatmap.FromRowMajor(Mel, MelBins, Frames, $"log-mel: {Text}", "frame", "mel bin");

    public Heatmap AlignmentChart()
    {
        int steps = Alignment.GetLength(0), tokens = Alignment.GetLength(1);
        var flat = new float[steps * tokens];
        for (var t = 0; t < tokens; t++)
        for (var s = 0; s < steps; s++) flat[t * steps + s] = Alignment[s, t];
        return Heatmap.FromRowMajor(flat, tokens, steps, "attention", "decoder step", "text position");
    }

    public AudioPlayer Player() => AudioPlayer.FromClip(Audio, Text);
}

/// <summary>
/// Text to speech: the spectrogram model predicts log-mel frames for each line (batched), then the signal
/// model (WaveRNN) turns them into audio, all lines together, or Griffin-Lim when no signal model is given.
/// </summary>
public sealed class Synthesizer : IDisposable
{
    public SpectrogramSynthesizer Spectrogram { get; }
    public SignalSynthesizer? Signal { get; }

    public Synthesizer(SpectrogramSynthesizer spectrogram, SignalSynthesizer? signal = null)
    {
        if (signal is not null && signal.Mel != spectrogram.Mel)
            throw new InvalidDataException($"the signal model was trained on other mel settings ({signal.Mel.ToJson()}) than the spectrogram model predicts ({spectrogram.Mel.ToJson()})");
        Spectrogram = spectrogram;
        Signal = signal;
    }

    /// <summary>Loads the spectrogram model's weights file and, when given, the signal model's (CheckpointPaths.Weights finds a run folder's).</summary>
    public static Synthesizer Load(string spectrogramModel, string? signalModel = null)
    {
        var spectrogram = SpectrogramSynthesizer.Load(spectrogramModel);
        SignalSynthesizer? signal = null;
        try
        {
            signal = signalModel is null ? null : SignalSynthesizer.Load(signalModel);
            return new Synthesizer(spectrogram, signal);
        }
        catch
        {
            signal?.Dispose();
            spectrogram.Dispose();
            throw;
        }
    }

    /// <summary>What turns spectrograms into audio: "WaveRNN" (the signal model), or "Griffin-Lim" standing in when none is given.</summary>
    public string SignalModelName => Signal is null ? "Griffin-Lim" : "WaveRNN";

    public IReadOnlyList<SpokenLine> Speak(IReadOnlyList<string> lines, int batchSize = 8, Action<string>? progress = null)
    {
        var predicted = Spectrogram.Predict(lines, batchSize);
        var spoken = new List<SpokenLine>(lines.Count);
        try
        {
            var audio = Signal?.Synthesize(predicted.Select(p => p.Mel).ToArray());
            for (var i = 0; i < predicted.Count; i++)
            {
                var p = predicted[i];
                var samples = audio?[i] ?? GriffinLim.Synthesize(p.Mel, Spectrogram.Mel);
                spoken.Add(new SpokenLine(p.Text, new AudioClip(samples, Spectrogram.Mel.SampleRate), p.Mel.data<float>().ToArray(),
                    (int)p.Mel.shape[0], (int)p.Frames, p.Alignment));
                progress?.Invoke($"spoke {i + 1}/{lines.Count} ({SignalModelName}): {samples.Length / (double)Spectrogram.Mel.SampleRate:F2} s");
            }
        }
        finally
        {
            foreach (var p in predicted) p.Dispose();
        }
        return spoken;
    }

    public SpokenLine Speak(string line) => Speak([line])[0];

    public void Dispose()
    {
        Spectrogram.Dispose();
        Signal?.Dispose();
    }
}
