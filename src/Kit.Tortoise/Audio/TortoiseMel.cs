using Kit.Data.Audio;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Audio;

/// <summary>
/// The mel spectrogram TorToiSe's DVAE and conditioning encoder read: 22,050 Hz, FFT and window 1024, hop
/// 256, 80 Slaney-normalised mel bands from 0 to 8,000 Hz, power 2, natural log clamped at 1e-5.
/// With <see cref="MelNorms"/> the log mel is divided band by band, as TorToiSe does when it has mel_norms.pth.
/// </summary>
public static class TortoiseMel
{
    public const int SampleRate = 22050, FftSize = 1024, Hop = 256, Bands = 80;

    /// <summary>The first channel of a clip at 22,050 Hz, clipped to [-1, 1] as DLAS's loader does.</summary>
    public static float[] LoadAudio(string path)
    {
        var clip = AudioFile.Read(path).FirstChannel();
        if (clip.SampleRate != SampleRate) clip = clip.ResampleTo(SampleRate);
        return clip.Samples.Select(s => Math.Clamp(s, -1f, 1f)).ToArray();
    }

    /// <summary>(80, frames) for mono samples; divided per band by <paramref name="norms"/> (80) when given.</summary>
    public static Tensor Compute(float[] samples, Tensor? norms = null)
    {
        using var scope = NewDisposeScope();
        var audio = tensor(samples);
        var window = hann_window(FftSize);
        var power = stft(audio, FftSize, Hop, FftSize, window, return_complex: true).abs().pow(2);
        var filters = torchaudio.functional.melscale_fbanks(FftSize / 2 + 1, 0, 8000, Bands, SampleRate, norm: "slaney", mel_scale: "slaney");
        var mel = filters.t().matmul(power).clamp_min(1e-5).log();
        if (norms is not null) mel = mel / norms.unsqueeze(-1);
        return scope.MoveToOuter(mel);
    }
}
