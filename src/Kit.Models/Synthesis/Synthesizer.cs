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
/// model turns them into audio, or Griffin-Lim when no signal model is given.
/// </summary>
public sealed class Synthesizer : IDisposable
{
    public SpectrogramSynthesizer Spectrogram { get; }

    public Synthesizer(SpectrogramSynthesizer spectrogram) => Spectrogram = spectrogram;

    /// <summary>Loads the spectrogram model's weights (file, checkpoint folder or run folder).</summary>
    public static Synthesizer Load(string spectrogramModel) => new(SpectrogramSynthesizer.Load(spectrogramModel));

    public IReadOnlyList<SpokenLine> Speak(IReadOnlyList<string> lines, int batchSize = 8, Action<string>? progress = null)
    {
        var predicted = Spectrogram.Predict(lines, batchSize);
        var spoken = new List<SpokenLine>(lines.Count);
        try
        {
            for (var i = 0; i < predicted.Count; i++)
            {
                var p = predicted[i];
                var samples = GriffinLim.Synthesize(p.Mel, Spectrogram.Mel);
                spoken.Add(new SpokenLine(p.Text, new AudioClip(samples, Spectrogram.Mel.SampleRate), p.Mel.data<float>(),
                    (int)p.Mel.shape[0], (int)p.Frames, p.Alignment));
                progress?.Invoke($"spoke {i + 1}/{lines.Count}: {samples.Length / (double)Spectrogram.Mel.SampleRate:F2} s");
            }
        }
        finally
        {
            foreach (var p in predicted) p.Dispose();
        }
        return spoken;
    }

    public SpokenLine Speak(string line) => Speak([line])[0];

    public void Dispose() => Spectrogram.Dispose();
}
