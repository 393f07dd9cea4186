namespace Kit.Tortoise.Dvae;

/// <summary>
/// Sizes of TorToiSe's dvae.pth (DLAS "lucidrains_dvae": channels 80, codebook_dim 512, hidden_dim 512,
/// kernel_size 3, num_layers 2, num_resnet_blocks 3, num_tokens 8192, 1-D convolutions, stride 2).
/// </summary>
public sealed record DiscreteVaeConfig
{
    public int Channels { get; init; } = 80;
    public int CodebookDim { get; init; } = 512;
    public int HiddenDim { get; init; } = 512;
    public int KernelSize { get; init; } = 3;
    public int Layers { get; init; } = 2;
    public int ResBlocks { get; init; } = 3;
    public int Tokens { get; init; } = 8192;

    /// <summary>Mel frames per code: each encoder layer halves the length.</summary>
    public int FramesPerCode => 1 << Layers;

    public static DiscreteVaeConfig Full { get; } = new();

    /// <summary>The same architecture for tests and CI; its codes fit <see cref="Model.UnifiedVoiceConfig.Tiny"/>.</summary>
    public static DiscreteVaeConfig Tiny { get; } = new() { CodebookDim = 16, HiddenDim = 16, ResBlocks = 1, Tokens = 64 };
}
