using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>The forward pass's losses and logits; logits are (B, classes, L) as TorToiSe returns them.</summary>
public sealed record UnifiedVoiceOutput(Tensor LossText, Tensor LossMel, Tensor TextLogits, Tensor MelLogits) : IDisposable
{
    public void Dispose()
    {
        LossText.Dispose();
        LossMel.Dispose();
        TextLogits.Dispose();
        MelLogits.Dispose();
    }
}

/// <summary>
/// TorToiSe's autoregressive model with its published parameter names: conditioning_encoder,
/// text_embedding, mel_embedding, gpt (h.N, ln_f), mel_pos_embedding, text_pos_embedding, final_norm,
/// text_head, mel_head. One GPT-2 predicts text then mel codes after a conditioning vector from
/// reference mels; the training forward follows DLAS's unified_voice2 (text first, conditioning
/// candidates averaged).
/// </summary>
public sealed class UnifiedVoice : nn.Module
{
    public ConditioningEncoder conditioning_encoder;
    public Embedding text_embedding;
    public Embedding mel_embedding;
    public Gpt2Model gpt;
    public LearnedPositionEmbeddings mel_pos_embedding;
    public LearnedPositionEmbeddings text_pos_embedding;
    public LayerNorm final_norm;
    public Linear text_head;
    public Linear mel_head;

    public UnifiedVoiceConfig Config { get; }

    public UnifiedVoice(UnifiedVoiceConfig config) : base(nameof(UnifiedVoice))
    {
        Config = config;
        conditioning_encoder = new ConditioningEncoder(config.ConditioningMelChannels, config.ModelDim, config.ConditioningAttentionBlocks, config.Heads);
        text_embedding = nn.Embedding(config.TextVocabulary, config.ModelDim);
        mel_embedding = nn.Embedding(config.NumberMelCodes, config.ModelDim);
        using (no_grad())
        {
            text_embedding.weight!.normal_(0, 0.02);
            mel_embedding.weight!.normal_(0, 0.02);
        }
        gpt = new Gpt2Model(config.Layers, config.ModelDim, config.Heads, config.GptPositions, config.Dropout);
        mel_pos_embedding = new LearnedPositionEmbeddings(config.MelPositions, config.ModelDim);
        text_pos_embedding = new LearnedPositionEmbeddings(config.TextPositions, config.ModelDim);
        final_norm = nn.LayerNorm(config.ModelDim);
        text_head = nn.Linear(config.ModelDim, config.TextVocabulary);
        mel_head = nn.Linear(config.ModelDim, config.NumberMelCodes);
        RegisterComponents();
    }

    /// <summary>
    /// One conditioning vector per clip (B, D) from reference mels (B, 80, T) or (B, candidates, 80, T),
    /// the candidates' encodings averaged.
    /// </summary>
    public Tensor Conditioning(Tensor mels)
    {
        using var scope = NewDisposeScope();
        var m = mels.dim() == 3 ? mels.unsqueeze(1) : mels;
        var encoded = Enumerable.Range(0, (int)m.size(1)).Select(j => conditioning_encoder.forward(m.select(1, j))).ToList();
        return scope.MoveToOuter(stack(encoded, 1).mean([1L]));
    }

    /// <summary>
    /// The training forward: text tokens (B, Lt) with their lengths, DVAE mel codes (B, Lm) with the clips'
    /// lengths in samples, and conditioning mels. Inputs are cut to the longest item, codes past each
    /// clip's end (plus one) become the stop token, start/stop tokens are added, and both heads are scored
    /// with cross entropy over every position (padding included), as DLAS does.
    /// </summary>
    public UnifiedVoiceOutput forward(Tensor conditioningMels, Tensor textInputs, Tensor textLengths, Tensor melCodes, Tensor wavLengths)
    {
        using var scope = NewDisposeScope();
        var c = Config;
        var maxText = textLengths.max().to(int64).item<long>();
        var maxMel = wavLengths.max().to(int64).item<long>() / c.MelLengthCompression;
        var text = textInputs.narrow(1, 0, Math.Min(maxText, textInputs.size(1)));
        var mel = melCodes.narrow(1, 0, Math.Min(maxMel, melCodes.size(1)));
        mel = SetMelPadding(mel, wavLengths);
        text = nn.functional.pad(text, [0, 1], value: c.StopTextToken);
        mel = nn.functional.pad(mel, [0, 1], value: c.StopMelToken);

        var conds = Conditioning(conditioningMels).unsqueeze(1);
        var (textIn, textTarget) = AlignedInputsAndTargets(text, c.StartTextToken, c.StopTextToken);
        var textEmb = text_embedding.forward(textIn) + text_pos_embedding.forward(textIn);
        var (melIn, melTarget) = AlignedInputsAndTargets(mel, c.StartMelToken, c.StopMelToken);
        var melEmb = mel_embedding.forward(melIn) + mel_pos_embedding.forward(melIn);

        var hidden = gpt.forward(cat([conds, textEmb, melEmb], 1));
        // The first output position belongs to the conditioning input.
        var enc = final_norm.forward(hidden.narrow(1, 1, hidden.size(1) - 1));
        long lt = textEmb.size(1), lm = melEmb.size(1);
        var textLogits = text_head.forward(enc.narrow(1, 0, lt)).permute(0, 2, 1);
        var melLogits = mel_head.forward(enc.narrow(1, enc.size(1) - lm, lm)).permute(0, 2, 1);
        var lossText = nn.functional.cross_entropy(textLogits.@float(), textTarget);
        var lossMel = nn.functional.cross_entropy(melLogits.@float(), melTarget);
        var output = new UnifiedVoiceOutput(lossText, lossMel, textLogits, melLogits);
        scope.MoveToOuter(lossText, lossMel, textLogits, melLogits);
        return output;
    }

    /// <summary>Codes after each clip's last code plus one are set to the stop token (the DVAE's codes there are padding).</summary>
    private Tensor SetMelPadding(Tensor mel, Tensor wavLengths)
    {
        var ends = wavLengths.floor_divide(Config.MelLengthCompression).to(ScalarType.Int64) + 1;
        using var positions = arange(0, mel.size(1), 1, ScalarType.Int64, mel.device).unsqueeze(0);
        using var past = positions >= ends.unsqueeze(1);
        return mel.masked_fill(past, Config.StopMelToken);
    }

    private static (Tensor input, Tensor target) AlignedInputsAndTargets(Tensor tokens, long start, long stop) =>
        (nn.functional.pad(tokens, [1, 0], value: start), nn.functional.pad(tokens, [0, 1], value: stop));

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
