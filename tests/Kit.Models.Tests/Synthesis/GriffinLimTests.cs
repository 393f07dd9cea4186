using System.Runtime.InteropServices;
using Kit.Data.Audio;
using Kit.Models.Features;
using Kit.Models.Synthesis;
using Kit.TestSupport;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Synthesis;

/// <summary>
/// Griffin-Lim against torchaudio's on a real clip's log-mel: the linear magnitudes are the least-squares ones
/// (torch's pseudo-inverse of torchaudio's filters, in float64), and the phase recovery gets as close to the
/// spectrogram as torchaudio's fast Griffin-Lim in the same 32 iterations. The filters' normalized transpose gives
/// other magnitudes, and plain Griffin-Lim leaves the round trip further from the spectrogram it was given.
/// </summary>
public class GriffinLimTests
{
    [Theory]
    [InlineData(1024, 256, 1024, 80, 0.0, 8000.0, "hann")]
    [InlineData(2048, 300, 1200, 128, 20.0, 11025.0, "hamming")]
    public void Inverts_the_mel_by_least_squares_and_recovers_phase_as_well_as_torchaudio(int nFft, int hop, int win, int nMels, double fmin, double fmax, string window)
    {
        using var dir = new TempDir();
        var wav = AudioTools.Speak(dir["a.wav"], "Glue the sheet to the dark blue background.");
        var settings = new MelSettings { NFft = nFft, HopLength = hop, WinLength = win, NMels = nMels, FMin = fmin, FMax = fmax, Window = window };
        using var logMel = new LogMelSpectrogram(settings);
        using var input = logMel.Compute(WavReader.Read(wav));
        var (mels, frames) = ((int)input.shape[0], (int)input.shape[1]);
        File.WriteAllBytes(dir["in.f32"], MemoryMarshal.AsBytes(input.data<float>().ToArray().AsSpan()).ToArray());
        ReferencePython.Run($$"""
import sys, numpy as np, torch, torchaudio
sr, n_fft, hop, win, n_mels = 22050, {{nFft}}, {{hop}}, {{win}}, {{nMels}}
log_mel = torch.from_numpy(np.fromfile(sys.argv[1], dtype='float32').reshape({{mels}}, {{frames}}))
fb = torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, {{fmin}}, {{fmax}}, n_mels, sr, norm=None, mel_scale='htk')  # (freqs, mels)
magnitude = torch.clamp(torch.linalg.pinv(fb.T.double()) @ log_mel.exp().double(), min=0).float()
magnitude.numpy().tofile(sys.argv[2])
torch.manual_seed(0)
audio = torchaudio.functional.griffinlim(magnitude, torch.{{window}}_window(win), n_fft, hop, win, power=1.0, n_iter=32,
    momentum=0.99, length=({{frames}} - 1) * hop, rand_init=True)
audio.numpy().tofile(sys.argv[3])
""", dir["in.f32"], dir["magnitude.f32"], dir["audio.f32"]);

        using var ours = GriffinLim.LinearMagnitude(input, settings);
        var reference = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir["magnitude.f32"])).ToArray();
        var mine = ours.data<float>().ToArray();
        Assert.Equal(reference.Length, mine.Length);
        var scale = reference.Max();
        var worst = mine.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-3 * scale, $"largest magnitude difference from the float64 pseudo-inverse {worst} (largest magnitude {scale})");

        // How far each round trip's log-mel lies from the input, over the frames with sound in them.
        double Distance(float[] audio)
        {
            using var again = logMel.Compute(new AudioClip(audio, settings.SampleRate));
            using var loud = input.gt(Math.Log(settings.LogFloor) + 1);
            return again.sub(input).abs().masked_select(loud).mean().item<float>();
        }
        var kit = Distance(GriffinLim.Synthesize(input, settings));
        var torchaudio = Distance(MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(dir["audio.f32"])).ToArray());
        Assert.True(kit <= torchaudio * 1.1, $"the kit's round trip is {kit:F3} from the log-mel (mean |Δ| in nats), torchaudio's {torchaudio:F3}");
    }
}
