namespace Kit.Training.Parameters;

/// <summary>
/// A deliberately pessimistic estimate of training memory for TorToiSe's GPT (DLAS's <c>unified_voice2</c>
/// as configured in EXAMPLE_gpt.yml: 30 layers, width 1024, 16 heads, about 421 M parameters, mel codes
/// every 1024 samples at 22,050 Hz, 8,194 mel codes), used to bound the batch size.
///
/// Fixed cost: fp32 weights + gradients + AdamW's two moments = 16 bytes per parameter (6.7 GB), plus
/// 1.5 GB for the CUDA context and the allocator's fragmentation. Per sample, with gradient checkpointing
/// on (EXAMPLE_gpt.yml sets it): each layer's saved input (L × width × 4 bytes × layers), one layer's
/// recomputed activations (about 34 values per token and width unit, as in Korthikanti et al. 2022,
/// doubled for fp32), the attention scores and their softmax (heads × L² × 5 values × 4 bytes), and the mel
/// logits with their softmax and gradient (L × 8,194 × 3 × 4 bytes). L = longest mel tokens + longest text
/// tokens (characters, an upper bound on BPE tokens) + conditioning + 4 start/stop tokens. Checked against
/// EXAMPLE_gpt.yml's own note (batch 128 with mega_batch_factor 4, i.e. 32 clips per pass, "≈ 16 GB on a
/// 3090"): the estimate gives about 14.6 GB for 32 clips of 11.6 s with 200-character texts, so it
/// errs on the side of smaller batches. fp16 halves the activations only.
/// </summary>
public sealed record GptMemoryModel(long Parameters, int Layers, int Width, int Heads, int MelCodes,
                                    int SampleRate, int SamplesPerMelToken, int MaxMelTokens, int MaxTextTokens) : IMemoryModel
{
    public string Description => $"TorToiSe's GPT, {Parameters / 1e6:0} M parameters";

    public static GptMemoryModel TortoiseGpt { get; } = new(421_000_000, 30, 1024, 16, 8194, 22050, 1024, 604, 402);

    public const long RuntimeOverheadBytes = 1_500_000_000;

    public long FixedBytes => Parameters * 16 + RuntimeOverheadBytes;

    /// <summary>Tokens in the longest sequence, capped at the model's position limits.</summary>
    public int SequenceLength(double longestSeconds, int longestText)
    {
        var mel = Math.Min(MaxMelTokens, (int)Math.Ceiling(longestSeconds * SampleRate / SamplesPerMelToken));
        var text = Math.Min(MaxTextTokens, longestText);
        return mel + text + 1 + 4;
    }

    public long BytesPerSample(double longestSeconds, int longestText, bool fp16)
    {
        double l = SequenceLength(longestSeconds, longestText);
        var saved = (double)Layers * l * Width * 4;
        var oneLayer = l * Width * 34 * 2;
        var attention = (double)Heads * l * l * 5 * 4;
        var logits = l * MelCodes * 3 * 4;
        var total = saved + oneLayer + attention + logits;
        return (long)(fp16 ? total / 2 : total);
    }

    /// <summary>Clips per forward pass that fit in <paramref name="budgetBytes"/>; 0 when even the model alone does not fit.</summary>
    public int MaxMicroBatch(long budgetBytes, double longestSeconds, int longestText, bool fp16)
    {
        var free = budgetBytes - FixedBytes;
        return free <= 0 ? 0 : (int)Math.Min(int.MaxValue, free / BytesPerSample(longestSeconds, longestText, fp16));
    }
}
