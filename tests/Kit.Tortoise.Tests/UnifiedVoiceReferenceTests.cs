using System.Text.Json;
using Kit.TestSupport;
using Kit.Tortoise.Model;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Tests;

/// <summary>
/// The kit's UnifiedVoice against a PyTorch module written from TorToiSe's published architecture with
/// the same names (Reference/unified_voice_reference.py): weights in from torch.save, the same logits and
/// losses, weights out that torch.load and a strict load_state_dict accept.
/// </summary>
public sealed class UnifiedVoiceReferenceTests
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Reference", "unified_voice_reference.py");

    internal static string ConfigJson(UnifiedVoiceConfig c) => JsonSerializer.Serialize(c);

    private static string RunReference(params string[] args) =>
        ReferencePython.Run(File.ReadAllText(Script), args);

    [Fact]
    public void Python_weights_load_strictly_and_give_the_same_logits_and_losses()
    {
        using var dir = new TempDir("uv-ref");
        var config = UnifiedVoiceConfig.Tiny;
        RunReference("make", ConfigJson(config), dir["weights.pth"], dir["inputs.pth"], dir["outputs.pth"]);

        using var model = new UnifiedVoice(config);
        model.load_weights(dir["weights.pth"], strict: true);
        model.eval();
        var inputs = TensorFiles.load(dir["inputs.pth"]);
        var expected = TensorFiles.load(dir["outputs.pth"]);
        using (no_grad())
        using (var output = model.call(inputs["cond"], inputs["text"], inputs["text_lengths"], inputs["mel"], inputs["wav_lengths"]))
        {
            AssertClose(expected["text_logits"], output.TextLogits, "text logits");
            AssertClose(expected["mel_logits"], output.MelLogits, "mel logits");
            AssertClose(expected["loss_text"], output.LossText, "loss_text_ce");
            AssertClose(expected["loss_mel"], output.LossMel, "loss_mel_ce");
        }
        foreach (var t in inputs.Values.Concat(expected.Values)) t.Dispose();
    }

    [Fact]
    public void Saved_pth_loads_back_in_python_with_identical_tensors_and_a_strict_load()
    {
        using var dir = new TempDir("uv-save");
        var config = UnifiedVoiceConfig.Tiny;
        RunReference("make", ConfigJson(config), dir["weights.pth"], dir["inputs.pth"], dir["outputs.pth"]);
        using var model = new UnifiedVoice(config);
        model.load_weights(dir["weights.pth"], strict: true);
        model.save_weights(dir["saved.pth"]);

        var result = RunReference("check", ConfigJson(config), dir["weights.pth"], dir["saved.pth"]);
        Assert.StartsWith("ok", result.Trim());
    }

    [Fact]
    public void State_dict_names_follow_tortoise_with_gpt2_conv1d_layout_and_no_wte_or_wpe()
    {
        var c = UnifiedVoiceConfig.Tiny;
        using var model = new UnifiedVoice(c);
        var sd = model.state_dict();
        Assert.Equal([64, 192], sd["gpt.h.0.attn.c_attn.weight"].shape);
        Assert.Equal([256, 64], sd["gpt.h.1.mlp.c_proj.weight"].shape);
        Assert.Equal<long>([1, 1, c.MaxMelTokens + 4 + c.MaxTextTokens + 2, c.MaxMelTokens + 4 + c.MaxTextTokens + 2], sd["gpt.h.0.attn.bias"].shape);
        Assert.Contains("gpt.h.0.attn.masked_bias", sd.Keys);
        Assert.Contains("conditioning_encoder.attn.1.proj_out.weight", sd.Keys);
        Assert.Equal<long>([c.MaxMelTokens + 2 + 2, 64], sd["mel_pos_embedding.emb.weight"].shape);
        Assert.Equal<long>([c.MaxTextTokens + 2, 64], sd["text_pos_embedding.emb.weight"].shape);
        Assert.DoesNotContain(sd.Keys, k => k.StartsWith("gpt.wte") || k.StartsWith("gpt.wpe"));
    }

    [Fact]
    public void The_full_size_has_the_published_model_s_421_million_parameters()
    {
        // DLAS's unified_voice2 at layers 30, width 1024, 16 heads: about 421 M parameters (a 1.7 GB .pth).
        using var model = new UnifiedVoice(UnifiedVoiceConfig.Full);
        var count = model.ParameterCount();
        Assert.InRange(count, 418_000_000, 424_000_000);
        Assert.Equal<long>([1, 1, 1012, 1012], model.state_dict()["gpt.h.29.attn.bias"].shape);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected - actual).abs().max();
        var d = diff.item<float>();
        Assert.True(allclose(expected, actual, rtol: 1e-4, atol: 1e-4), $"{what}: largest difference {d}");
    }
}
