using Kit.TestSupport;
using Kit.Tortoise.Audio;
using Kit.Tortoise.Dvae;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Tests;

public sealed class DvaeTests
{
    [Fact]
    public void Codes_are_a_quarter_of_the_mel_frames_deterministic_and_cached_on_disk()
    {
        using var dir = new TempDir("dvae");
        var clip = Path.Combine(SampleDatasets.Get(), "wavs", "kit-0001.wav");
        manual_seed(5);
        using var dvae = new DiscreteVae(DiscreteVaeConfig.Tiny);
        dvae.eval();
        using var mel = TortoiseMel.Compute(TortoiseMel.LoadAudio(clip));
        Assert.Equal(TortoiseMel.Bands, mel.size(0));

        var first = new MelCodeCache(dir.Path, dvae, "test-dvae");
        var codes = first.CodesFor(clip, mel);
        Assert.Equal(1, first.Computed);
        Assert.Equal((mel.size(1) + 3) / 4, codes.Length);
        Assert.All(codes, c => Assert.InRange(c, 0, DiscreteVaeConfig.Tiny.Tokens - 1));
        Assert.True(codes.Distinct().Count() > 1, "a random DVAE should not map every frame to one code");

        // Encoding again gives the same codes; a second cache over the same folder reads them instead.
        using (var again = dvae.call(mel.unsqueeze(0))) Assert.Equal(codes, again.reshape(-1).data<long>().ToArray());
        var second = new MelCodeCache(dir.Path, dvae, "test-dvae");
        Assert.Equal(codes, second.CodesFor(clip, mel));
        Assert.Equal(0, second.Computed);
        Assert.Single(Directory.GetFiles(dir.Path, "*.codes"));

        // Another DVAE never reuses them.
        var other = new MelCodeCache(dir.Path, dvae, "another-dvae");
        other.CodesFor(clip, mel);
        Assert.Equal(1, other.Computed);
    }

    [Fact]
    public void Dvae_pth_names_load_and_the_decoder_is_skipped()
    {
        using var dir = new TempDir("dvae-load");
        manual_seed(1);
        using var source = new DiscreteVae(DiscreteVaeConfig.Tiny);
        var sd = source.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Contains("encoder.0.0.weight", sd.Keys);
        Assert.Contains("encoder.2.net.4.weight", sd.Keys);
        Assert.Contains("codebook.embed", sd.Keys);
        using var decoder = randn(80, 16, 1);
        sd["decoder.5.weight"] = decoder;
        TensorFiles.save(sd, dir["dvae.pth"]);
        manual_seed(2);
        using var loaded = new DiscreteVae(DiscreteVaeConfig.Tiny);
        loaded.LoadFile(dir["dvae.pth"]);
        Assert.True(allclose(sd["codebook.embed"], loaded.state_dict()["codebook.embed"]));
    }
}
