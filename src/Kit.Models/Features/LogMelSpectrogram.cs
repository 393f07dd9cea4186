using Kit.Data.Audio;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Features;

/// <summary>
/// Log-mel spectrograms on the tensor engine: STFT (centered, reflect padding), magnitude to the declared
/// power, HTK mel filters, natural log. Output is (n_mels, frames), frames = samples / hop + 1.
/// </summary>
public sealed class LogMelSpectrogram : IDisposable
{
    private readonly Tensor _window;
    private readonly Tensor _filters; // (n_mels, n_freqs)

    public MelSettings Settings { get; }

    public LogMelSpectrogram(MelSettings settings)
    {
        settings.Validate();
        Settings = settings;
        _window = (settings.Window == "hann" ? hann_window(settings.WinLength) : hamming_window(settings.WinLength)).DetachFromDisposeScope();
        using var fb = torchaudio.functional.melscale_fbanks(settings.NFft / 2 + 1, settings.FMin, settings.FMax, settings.NMels, settings.SampleRate);
        _filters = fb.t().contiguous().DetachFromDisposeScope();
    }

    /// <summary>Mel filters as (n_mels, n_freqs), e.g. for inverting a spectrogram.</summary>
    public Tensor Filters => _filters;

    /// <summary>Log-mel of a mono signal (samples) or a batch (batch, samples).</summary>
    public Tensor Compute(Tensor samples)
    {
        using var scope = NewDisposeScope();
        var s = Settings;
        var spec = stft(samples, s.NFft, s.HopLength, s.WinLength, _window, center: true, return_complex: true).abs();
        if (s.Power != 1.0) spec = spec.pow(s.Power);
        var mel = _filters.matmul(spec);
        return scope.MoveToOuter(mel.clamp_min(s.LogFloor).log());
    }

    /// <summary>Log-mel of a clip, as (n_mels, frames): first channel, resampled to the settings' rate.</summary>
    public Tensor Compute(AudioClip clip)
    {
        using var samples = Samples(clip, Settings.SampleRate);
        return Compute(samples);
    }

    /// <summary>A clip as a float tensor of mono samples at <paramref name="sampleRate"/>.</summary>
    public static Tensor Samples(AudioClip clip, int sampleRate)
    {
        var mono = clip.FirstChannel();
        if (mono.SampleRate != sampleRate) mono = mono.ResampleTo(sampleRate);
        return tensor(mono.Samples);
    }

    public void Dispose()
    {
        _window.Dispose();
        _filters.Dispose();
    }
}
