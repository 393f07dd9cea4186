using Kit.Models.Features;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Synthesis;

/// <summary>
/// Audio from a log-mel spectrogram without a signal model: mel back to linear magnitudes through the
/// transposed, column-normalized mel filters, then Griffin-Lim phase recovery (alternating STFT and inverse
/// STFT from random phase). Robotic but intelligible enough to check a spectrogram model.
/// </summary>
public static class GriffinLim
{
    public static float[] Synthesize(Tensor logMel, MelSettings settings, int iterations = 32, long seed = 0)
    {
        using var scope = NewDisposeScope();
        using var mel = new LogMelSpectrogram(settings);
        var filters = mel.Filters; // (mels, freqs)
        var energy = logMel.exp();
        // Each frequency bin takes the filters' weighted average of the bands that cover it.
        var weights = filters / filters.sum(0, keepdim: true).clamp_min(1e-8);
        var magnitude = weights.t().matmul(energy).clamp_min(0);
        if (settings.Power != 1.0) magnitude = magnitude.pow(1.0 / settings.Power);
        var window = settings.Window == "hann" ? hann_window(settings.WinLength) : hamming_window(settings.WinLength);
        long length = (logMel.shape[1] - 1) * settings.HopLength;
        // Its own generator: reseeding the global one would rewind a training run's random stream at every validation.
        using var generator = new Generator((ulong)seed);
        var angles = rand(magnitude.shape, generator: generator) * (2 * Math.PI);
        Tensor signal = zeros(length);
        for (var i = 0; i < iterations; i++)
        {
            var complex = stack([magnitude * angles.cos(), magnitude * angles.sin()], -1).view_as_complex(); // 2 × (F, T) -> (F, T, 2) -> complex (F, T)
            signal = istft(complex, settings.NFft, settings.HopLength, settings.WinLength, window, length: length);
            var again = stft(signal, settings.NFft, settings.HopLength, settings.WinLength, window, return_complex: true);
            angles = again.angle();
        }
        var peak = signal.abs().max().item<float>();
        if (peak > 0.95f) signal = signal * (0.95 / peak);
        return signal.data<float>().ToArray();
    }
}
