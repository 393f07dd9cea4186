using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Dvae;

/// <summary>A residual block of the DVAE: conv3, ReLU, conv3, ReLU, conv1, plus the input.</summary>
public sealed class DvaeResBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public DvaeResBlock(long channels) : base("ResBlock")
    {
        net = nn.Sequential(nn.Conv1d(channels, channels, 3, padding: 1), nn.ReLU(), nn.Conv1d(channels, channels, 3, padding: 1), nn.ReLU(),
            nn.Conv1d(channels, channels, 1));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var h = net.call(x);
        return h + x;
    }
}

/// <summary>
/// The encoder half of TorToiSe's DiscreteVAE and its codebook: what turns a mel spectrogram into the
/// discrete mel codes the GPT learns to predict. Names follow dvae.pth (encoder.N..., codebook.embed);
/// the decoder is not needed to make codes, so its weights are skipped when loading.
/// </summary>
public sealed class DiscreteVae : nn.Module<Tensor, Tensor>
{
    private readonly Sequential encoder;
    private readonly Quantize codebook;

    public DiscreteVaeConfig Config { get; }

    public DiscreteVae(DiscreteVaeConfig c) : base("DiscreteVAE")
    {
        Config = c;
        encoder = nn.Sequential();
        long inChannels = c.Channels, pad = (c.KernelSize - 1) / 2;
        for (int i = 0; i < c.Layers; i++)
        {
            long outChannels = (long)c.HiddenDim << i;
            encoder.append(nn.Sequential(nn.Conv1d(inChannels, outChannels, c.KernelSize, stride: 2, padding: pad), nn.ReLU()));
            inChannels = outChannels;
        }
        for (int i = 0; i < c.ResBlocks; i++) encoder.append(new DvaeResBlock(inChannels));
        encoder.append(nn.Conv1d(inChannels, c.CodebookDim, 1));
        codebook = new Quantize(c.CodebookDim, c.Tokens);
        RegisterComponents();
    }

    /// <summary>Loads dvae.pth: every encoder and codebook tensor must be there with its shape; the rest (decoder) is skipped.</summary>
    public void LoadFile(string path)
    {
        var all = TensorFiles.load(path);
        try
        {
            var own = state_dict().Keys.ToHashSet();
            load_state_dict(all.Where(kv => own.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value), strict: true);
        }
        catch (InvalidOperationException e) { throw new InvalidDataException($"{path}: not a TorToiSe DVAE of this size ({e.Message})", e); }
        finally { foreach (var t in all.Values) t.Dispose(); }
    }

    /// <summary>Codes (B, T/4) of mels (B, 80, T): the nearest codebook entry of each encoded frame.</summary>
    public override Tensor forward(Tensor mels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var encoded = encoder.call(mels).permute(0, 2, 1); // (B, codebook dim, T/4) -> (B, T/4, codebook dim)
        return scope.MoveToOuter(codebook.call(encoded));
    }
}

/// <summary>The codebook (VQ-VAE "Quantize"): embed is (dim, tokens); EMA statistics kept so the names load.</summary>
public sealed class Quantize : nn.Module<Tensor, Tensor>
{
    private Tensor embed, cluster_size, embed_avg;
    private readonly long dim;

    public Quantize(long dim, long tokens) : base(nameof(Quantize))
    {
        this.dim = dim;
        embed = randn(dim, tokens);
        cluster_size = zeros(tokens);
        embed_avg = embed.clone();
        RegisterComponents();
    }

    /// <summary>Index of the nearest entry (squared distance) for each vector of x (..., dim).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(-1, dim); // (..., dim) -> (N, dim)
        var dist = flat.pow(2).sum(1, keepdim: true) - 2 * flat.matmul(embed) + embed.pow(2).sum(0, keepdim: true); // (N, tokens)
        var shape = x.shape[..^1];
        return scope.MoveToOuter(dist.argmin(1).reshape(shape)); // (N) -> x's leading dims, (B, T/4) for the DVAE
    }
}
