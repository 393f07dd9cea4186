using Kit.Models.Spectrogram;
using Kit.Data.Audio;
using Kit.Display.Charts;
using Kit.Models.Features;
using Kit.Models.Synthesis;
using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Recipes;
using static TorchSharp.torch;

namespace Kit.Recipes.Spectrogram;

/// <summary>
/// What the spectrogram recipe shows at validation for one clip. Teacher-forced (fed the real frames): its
/// attention alignment, the target and predicted log-mel spectrograms one above the other (same colour scale,
/// so a blurry or silent prediction shows), and the prediction as Griffin-Lim audio (robotic, but it says
/// whether words come out). Free-running (the same line spoken on its own, as `kit speak` would): its alignment
/// and its Griffin-Lim audio, which is what a listener will get.
/// </summary>
public static class SpectrogramSamples
{
    public const string Alignment = "alignment.png";
    public const string Spectrograms = "spectrogram.png";
    public const string Audio = "griffin-lim.wav";
    public const string FreeAlignment = "free-running-alignment.png";
    public const string FreeAudio = "free-running-griffin-lim.wav";

    /// <param name="alignment">[text position, decoder step], on the CPU.</param>
    /// <param name="target">Log-mel (mels, frames), on the CPU.</param>
    /// <param name="predicted">Log-mel (mels, frames) of the same clip, on the CPU.</param>
    /// <param name="free">The same line spoken on its own; null leaves the free-running samples out.</param>
    public static IReadOnlyList<TrainingSample> Make(Tensor alignment, Tensor target, Tensor predicted, MelSettings mel, long step, FreeRunningSpeech? free = null)
    {
        var attention = Heatmap.FromRowMajor(alignment.data<float>().ToArray(), (int)alignment.shape[0], (int)alignment.shape[1],
            $"attention (teacher-forced), step {step}", "decoder step", "text position");
        List<TrainingSample> samples =
        [
            new(Alignment, Png(attention)),
            new(Spectrograms, Png(Stacked(target, predicted, step))),
            new(Audio, Wav(predicted, mel)),
        ];
        if (free is null) return samples;
        int steps = free.Alignment.GetLength(0), tokens = free.Alignment.GetLength(1);
        var transposed = new float[tokens * steps];
        for (var s = 0; s < steps; s++)
            for (var n = 0; n < tokens; n++) transposed[n * steps + s] = free.Alignment[s, n];
        samples.Add(new(FreeAlignment, Png(Heatmap.FromRowMajor(transposed, tokens, steps, $"attention (free-running), step {step}", "decoder step", "text position"))));
        samples.Add(new(FreeAudio, Wav(free.Mel, mel)));
        return samples;
    }

    // Few iterations: this runs at every validation, and it only has to be recognisable.
    private static byte[] Wav(Tensor logMel, MelSettings mel) =>
        WavWriter.ToBytes(new AudioClip(GriffinLim.Synthesize(logMel, mel, iterations: 16), mel.SampleRate), WavFormat.Pcm16);

    /// <summary>Predicted mel bins in the lower half, target in the upper, a band of the lowest value between.</summary>
    private static Heatmap Stacked(Tensor target, Tensor predicted, long step)
    {
        int mels = (int)target.shape[0], frames = (int)target.shape[1], gap = Math.Max(2, mels / 20);
        var t = target.data<float>().ToArray();
        var p = predicted.data<float>().ToArray();
        var low = Math.Min(t.Min(), p.Min());
        var rows = new double[mels * 2 + gap][];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r] = new double[frames];
            var source = r < mels ? p : r >= mels + gap ? t : null;
            var bin = r < mels ? r : r - mels - gap;
            for (var c = 0; c < frames; c++) row[c] = source is null ? low : source[bin * frames + c];
        }
        return new Heatmap(rows, $"target (top) and predicted (bottom) log-mel, step {step}", "frame", "mel bin");
    }

    private static byte[] Png(Chart chart)
    {
        using var scene = chart.DrawScene();
        return PngRasterizer.Encode(scene);
    }
}

/// <summary>A line the model spoke on its own: log-mel (mels, frames) on the CPU and its attention [decoder step, token].</summary>
public sealed record FreeRunningSpeech(Tensor Mel, float[,] Alignment) : IDisposable
{
    public void Dispose() => Mel.Dispose();
}
