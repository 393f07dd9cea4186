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
public sealed class UnifiedVoice : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor, UnifiedVoiceOutput>
{
    private readonly ConditioningEncoder conditioning_encoder;
    private readonly Embedding text_embedding;
    private readonly Embedding mel_embedding;
    private readonly Gpt2Model gpt;
    private readonly LearnedPositionEmbeddings mel_pos_embedding;
    private readonly LearnedPositionEmbeddings text_pos_embedding;
    private readonly LayerNorm final_norm;
    private readonly Linear text_head;
    private readonly Linear mel_head;

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
        var m = mels.dim() == 3 ? mels.unsqueeze(1) : mels; // (B, 80, T) -> (B, 1, 80, T)
        // m.select(1, j): (B, K, 80, T) -> (B, 80, T), one candidate; each encodes to (B, D).
        var encoded = Enumerable.Range(0, (int)m.size(1)).Select(j => conditioning_encoder.call(m.select(1, j))).ToList();
        return scope.MoveToOuter(stack(encoded, 1).mean([1L])); // K × (B, D) -> (B, K, D) -> (B, D)
    }

    /// <summary>
    /// The training forward: text tokens (B, Lt) with their lengths, DVAE mel codes (B, Lm) with the clips'
    /// lengths in samples, and conditioning mels. Inputs are cut to the longest item, codes past each
    /// clip's end (plus one) become the stop token, start/stop tokens are added, and both heads are scored
    /// with cross entropy over every position (padding included), as DLAS does.
    /// </summary>
    public override UnifiedVoiceOutput forward(Tensor conditioningMels, Tensor textInputs, Tensor textLengths, Tensor melCodes, Tensor wavLengths)
    {
        using var scope = NewDisposeScope();
        var c = Config;
        var maxText = textLengths.max().to(int64).item<long>();
        var maxMel = wavLengths.max().to(int64).item<long>() / c.MelLengthCompression;
        var text = textInputs.narrow(1, 0, Math.Min(maxText, textInputs.size(1))); // (B, Lt) -> (B, Lt'), the longest text
        var mel = melCodes.narrow(1, 0, Math.Min(maxMel, melCodes.size(1))); // (B, Lm) -> (B, Lm'), the longest clip
        mel = SetMelPadding(mel, wavLengths);
        text = nn.functional.pad(text, [0, 1], value: c.StopTextToken); // (B, Lt') -> (B, Lt'+1)
        mel = nn.functional.pad(mel, [0, 1], value: c.StopMelToken); // (B, Lm') -> (B, Lm'+1)

        var conds = Conditioning(conditioningMels).unsqueeze(1); // (B, D) -> (B, 1, D)
        var (textIn, textTarget) = AlignedInputsAndTargets(text, c.StartTextToken, c.StopTextToken);
        var textEmb = text_embedding.call(textIn) + text_pos_embedding.call(textIn); // (B, LT, D)
        var (melIn, melTarget) = AlignedInputsAndTargets(mel, c.StartMelToken, c.StopMelToken);
        var melEmb = mel_embedding.call(melIn) + mel_pos_embedding.call(melIn); // (B, LM, D)

        var hidden = gpt.call(cat([conds, textEmb, melEmb], 1)); // (B, 1 + LT + LM, D)
        // The first output position belongs to the conditioning input.
        var enc = final_norm.call(hidden.narrow(1, 1, hidden.size(1) - 1)); // (B, 1 + LT + LM, D) -> (B, LT + LM, D)
        long lt = textEmb.size(1), lm = melEmb.size(1);
        var textLogits = text_head.call(enc.narrow(1, 0, lt)).permute(0, 2, 1); // (B, LT, D) -> (B, LT, text vocabulary) -> (B, text vocabulary, LT)
        var melLogits = mel_head.call(enc.narrow(1, enc.size(1) - lm, lm)).permute(0, 2, 1); // (B, LM, D) -> (B, LM, mel codes) -> (B, mel codes, LM)
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
        using var positions = arange(0, mel.size(1), 1, ScalarType.Int64, mel.device).unsqueeze(0); // (Lm) -> (1, Lm)
        using var past = positions >= ends.unsqueeze(1); // ends (B) -> (B, 1); past (B, Lm)
        return mel.masked_fill(past, Config.StopMelToken);
    }

    /// <summary>Tokens (B, L) → input (B, L+1) with the start token in front, target (B, L+1) with the stop token behind.</summary>
    private static (Tensor input, Tensor target) AlignedInputsAndTargets(Tensor tokens, long start, long stop) =>
        (nn.functional.pad(tokens, [1, 0], value: start), nn.functional.pad(tokens, [0, 1], value: stop));

    public long ParameterCount() => parameters().Sum(p => p.numel());
}
