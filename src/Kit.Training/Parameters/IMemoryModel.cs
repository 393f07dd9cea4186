namespace Kit.Training.Parameters;

/// <summary>
/// A recipe's estimate of its training memory, which bounds the batch (the kit profile raises gradient
/// accumulation until one pass fits). Each estimate is deliberately pessimistic and says, in its comment, what
/// it counts and what published figure it was checked against.
/// </summary>
public interface IMemoryModel
{
    /// <summary>The model it estimates, for reasons and warnings ("TorToiSe's GPT, 421 M parameters").</summary>
    string Description { get; }

    /// <summary>Trainable parameters: the checkpoint's size follows from it.</summary>
    long Parameters { get; }

    /// <summary>Bytes that do not grow with the batch: weights, gradients, optimizer state, runtime.</summary>
    long FixedBytes { get; }

    /// <summary>Bytes one clip of the batch adds, for the longest clip and transcript in the set.</summary>
    long BytesPerSample(double longestSeconds, int longestText, bool fp16);

    /// <summary>Clips per forward pass that fit in <paramref name="budgetBytes"/>; 0 when even the model alone does not fit.</summary>
    int MaxMicroBatch(long budgetBytes, double longestSeconds, int longestText, bool fp16)
    {
        var free = budgetBytes - FixedBytes;
        return free <= 0 ? 0 : (int)Math.Min(int.MaxValue, free / Math.Max(1, BytesPerSample(longestSeconds, longestText, fp16)));
    }

    /// <summary>
    /// About what one checkpoint takes on disk: fp32 weights (4 bytes a parameter) and the training state beside
    /// them, Adam's two moments (8 bytes a parameter).
    /// </summary>
    (long Weights, long TrainingState) CheckpointBytes => (Parameters * 4, Parameters * 8);
}
