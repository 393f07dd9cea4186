namespace Kit.Training.Parameters;

/// <summary>
/// The memory of a model whose activations do not grow with a clip's length (the tiny duration models read a
/// few numbers per transcript): weights, gradients and Adam's moments (16 bytes a parameter), the CUDA context
/// (1.5 GB, as <see cref="GptMemoryModel"/>) and a fixed cost per clip.
/// </summary>
public sealed record FixedMemoryModel(string Name, long Parameters, long BytesPerClip) : IMemoryModel
{
    public string Description => $"{Name}, {Parameters:N0} parameters";
    public long FixedBytes => Parameters * 16 + GptMemoryModel.RuntimeOverheadBytes;
    public long BytesPerSample(double longestSeconds, int longestText, bool fp16) => BytesPerClip;
}
