namespace Kit.Tortoise.Model;

/// <summary>
/// Sizes of TorToiSe's autoregressive model ("UnifiedVoice", DLAS network <c>unified_voice2</c>).
/// <see cref="Full"/> is the published model (autoregressive.pth, about 421 M parameters); <see cref="Tiny"/>
/// is the same architecture small enough for tests and CI.
/// </summary>
public sealed record UnifiedVoiceConfig
{
    public int Layers { get; init; } = 30;
    public int ModelDim { get; init; } = 1024;
    public int Heads { get; init; } = 16;
    public int MaxTextTokens { get; init; } = 402;
    public int MaxMelTokens { get; init; } = 604;
    public int MaxConditioningInputs { get; init; } = 2;
    /// <summary>Audio samples per mel code (the DVAE's compression of 22,050 Hz audio).</summary>
    public int MelLengthCompression { get; init; } = 1024;
    /// <summary>
    /// Rows of text_embedding and outputs of text_head. DLAS's config says number_text_tokens 256 and
    /// TorToiSe builds number_text_tokens 255 plus one: both give 256.
    /// </summary>
    public int TextVocabulary { get; init; } = 256;
    public int NumberMelCodes { get; init; } = 8194;
    public int StartMelToken { get; init; } = 8192;
    public int StopMelToken { get; init; } = 8193;
    public int StartTextToken { get; init; } = 255;
    /// <summary>TorToiSe pads text with 0, its stop token.</summary>
    public int StopTextToken { get; init; } = 0;
    /// <summary>Mel channels of the conditioning (reference) spectrograms.</summary>
    public int ConditioningMelChannels { get; init; } = 80;
    /// <summary>AttentionBlocks in the conditioning encoder (TorToiSe's default 6).</summary>
    public int ConditioningAttentionBlocks { get; init; } = 6;
    /// <summary>GPT-2's resid/embd/attn dropout (Hugging Face's default 0.1, active in training).</summary>
    public double Dropout { get; init; } = 0.1;

    /// <summary>Learned position embeddings for mel codes: two for start/stop, and the conditioning inputs.</summary>
    public int MelPositions => MaxMelTokens + 2 + MaxConditioningInputs;

    /// <summary>Learned position embeddings for text: two for start/stop.</summary>
    public int TextPositions => MaxTextTokens + 2;

    /// <summary>GPT-2's n_positions, the size of each layer's causal-mask buffer <c>attn.bias</c>.</summary>
    public int GptPositions => MelPositions + TextPositions;

    public static UnifiedVoiceConfig Full { get; } = new();

    public static UnifiedVoiceConfig Tiny { get; } = new()
    {
        Layers = 2, ModelDim = 64, Heads = 4, MaxTextTokens = 200, MaxMelTokens = 250, ConditioningAttentionBlocks = 2,
        NumberMelCodes = 66, StartMelToken = 64, StopMelToken = 65,
    };
}
