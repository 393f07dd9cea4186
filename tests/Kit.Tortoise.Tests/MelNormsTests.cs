using Kit.TestSupport;
using Kit.Tortoise.Audio;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Tests;

public sealed class MelNormsTests
{
    [Fact]
    public void A_torch_saved_norms_file_divides_each_band_of_the_mel()
    {
        using var dir = new TempDir("mel-norms");
        var file = dir["mel_norms.pth"];
        // Python writes the file and prints its values, so the kit's reading is checked against torch itself.
        var printed = ReferencePython.Run("""
            import sys, torch
            torch.manual_seed(3)
            n = torch.rand(80) + 0.5
            torch.save(n, sys.argv[1])
            print(" ".join(repr(float(v)) for v in n))
            """, file);
        var expected = printed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(TortoiseMel.Bands, expected.Length);

        using var norms = MelNorms.Load(file);
        Assert.Equal([TortoiseMel.Bands], norms.shape);
        Assert.Equal(expected, norms.data<float>().ToArray());

        var samples = TortoiseMel.LoadAudio(Path.Combine(SampleDatasets.Get(), "wavs", "kit-0001.wav"));
        using var plain = TortoiseMel.Compute(samples);
        using var normalised = TortoiseMel.Compute(samples, norms);
        Assert.Equal(plain.shape, normalised.shape);
        var p = plain.data<float>().ToArray();
        var n = normalised.data<float>().ToArray();
        var frames = (int)plain.size(1);
        for (int band = 0; band < TortoiseMel.Bands; band++)
            for (int f = 0; f < frames; f++)
                Assert.Equal(p[band * frames + f] / expected[band], n[band * frames + f], 1e-5f);
        Assert.False(allclose(plain, normalised), "norms that are not all 1 must change the mel");
    }

    [Theory]
    [InlineData("torch.rand(79) + 0.5", "shape [79]")]
    [InlineData("torch.arange(80)", "Int64")]
    [InlineData("{'norms': torch.rand(80)}", "dict")]
    public void A_file_that_is_not_one_float_tensor_of_80_values_is_refused_naming_it(string python, string described)
    {
        using var dir = new TempDir("mel-norms-bad");
        var file = dir["mel_norms.pth"];
        ReferencePython.Run($"import sys, torch\ntorch.save({python}, sys.argv[1])", file);
        var e = Assert.Throws<InvalidDataException>(() => MelNorms.Load(file));
        Assert.Contains(file, e.Message);
        Assert.Contains("one float tensor of 80 values", e.Message);
        Assert.Contains(described, e.Message);
    }
}
