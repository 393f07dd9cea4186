using Kit.Models.Features;
using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Features;

public class LogMelTests
{
    [Theory]
    [InlineData(1024, 256, 1024, 80, 0.0, 8000.0, 1.0, "hann")]
    [InlineData(2048, 300, 1200, 128, 20.0, 11025.0, 2.0, "hamming")]
    public void Matches_torchaudio_on_the_same_wav(int nFft, int hop, int win, int nMels, double fmin, double fmax, double power, string window)
    {
        using var dir = new TempDir();
        var wav = AudioTools.Speak(dir["a.wav"], "The quick brown fox jumps over the lazy dog.");
        var settings = new MelSettings { SampleRate = 22050, NFft = nFft, HopLength = hop, WinLength = win, NMels = nMels, FMin = fmin, FMax = fmax, Power = power, Window = window };
        using var mel = new LogMelSpectrogram(settings);
        using var ours = mel.Compute(Kit.Data.Audio.WavReader.Read(wav));
        var refPath = dir["ref.f32"];
        ReferencePython.Run($$"""
import sys, torch, torchaudio
x, sr = torchaudio.load(sys.argv[1])
assert sr == 22050, sr
m = torchaudio.transforms.MelSpectrogram(sample_rate=sr, n_fft={{nFft}}, win_length={{win}}, hop_length={{hop}}, f_min={{fmin}}, f_max={{fmax}},
    n_mels={{nMels}}, power={{power}}, window_fn=torch.{{window}}_window)(x[0])
torch.log(torch.clamp(m, min=1e-5)).numpy().astype('float32').tofile(sys.argv[2])
print(list(m.shape))
""", wav, refPath);
        var reference = new float[new FileInfo(refPath).Length / 4];
        Buffer.BlockCopy(File.ReadAllBytes(refPath), 0, reference, 0, reference.Length * 4);
        Assert.Equal(new long[] { nMels, reference.Length / nMels }, ours.shape);
        var values = ours.data<float>().ToArray();
        var worst = values.Zip(reference, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-2, $"largest log-mel difference from torchaudio {worst}");
    }

    [Fact]
    public void Cache_reuses_entries_and_misses_when_the_file_or_settings_change()
    {
        using var dir = new TempDir();
        var wav = AudioTools.Speak(dir["a.wav"], "A cached clip.");
        var settings = new MelSettings { NMels = 40 };
        using (var cache = new FeatureCache(settings, dir["cache"]))
        using (var first = cache.LogMel(wav))
            Assert.Equal(40, first.shape[0]);
        var entries = Directory.GetFiles(dir["cache"]);
        Assert.Single(entries);
        // Plant a recognisable value in the stored entry: a hit returns it, a miss would compute afresh.
        TensorFiles.save(new Dictionary<string, Tensor> { ["mel"] = full([40, 3], 7.0), ["signal"] = zeros(10) }, entries[0]);
        using (var cache = new FeatureCache(settings, dir["cache"]))
        using (var hit = cache.LogMel(wav))
            Assert.Equal(7.0f, hit.max().item<float>());
        using (var cache = new FeatureCache(settings with { NMels = 32 }, dir["cache"]))
        using (var other = cache.LogMel(wav))
            Assert.Equal(32, other.shape[0]);
        File.SetLastWriteTimeUtc(wav, DateTime.UtcNow.AddMinutes(5));
        using (var cache = new FeatureCache(settings, dir["cache"]))
        using (var fresh = cache.LogMel(wav))
            Assert.NotEqual(7.0f, fresh.max().item<float>());
    }
}
