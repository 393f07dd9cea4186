using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>
/// TorToiSe's AttentionBlock over (B, C, T): GroupNorm, a 1×1 conv to q/k/v (legacy head layout: the
/// channels of each head hold its q, k and v in turn), attention, a zero-initialised 1×1 projection, residual.
/// </summary>
public sealed class AttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly GroupNorm32 norm;
    private readonly Conv1d qkv;
    private readonly Conv1d proj_out;
    private readonly long channels, heads;

    public AttentionBlock(long channels, long heads) : base(nameof(AttentionBlock))
    {
        (this.channels, this.heads) = (channels, heads);
        norm = new GroupNorm32(channels);
        qkv = nn.Conv1d(channels, channels * 3, 1);
        proj_out = nn.Conv1d(channels, channels, 1);
        Init.Zero(proj_out.weight, proj_out.bias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), t = x.size(2), ch = channels / heads;
        var qkvOut = qkv.call(norm.call(x)).reshape(b * heads, ch * 3, t); // (B, 3C, T) -> (B·H, 3·C/H, T)
        var parts = qkvOut.split(ch, 1); // (B·H, 3·C/H, T) -> q, k, v: 3 × (B·H, C/H, T)
        // Scaling q and k by ch^-1/4 each, as TorToiSe does, rather than the product by ch^-1/2.
        var scale = 1.0 / Math.Sqrt(Math.Sqrt(ch));
        var weights = (parts[0] * scale).transpose(1, 2).matmul(parts[1] * scale); // q (B·H, C/H, T) -> (B·H, T, C/H); weights (B·H, T, S)
        weights = weights.@float().softmax(-1).to(weights.dtype);
        var a = parts[2].matmul(weights.transpose(1, 2)).reshape(b, channels, t); // (B·H, C/H, T) -> (B, C, T)
        return scope.MoveToOuter(x + proj_out.call(a));
    }
}

/// <summary>
/// Encodes a reference mel spectrogram (B, 80, T) to one vector per clip: a 1×1 conv to the model width,
/// AttentionBlocks, then the first frame (TorToiSe's <c>h[:, :, 0]</c>).
/// </summary>
public sealed class ConditioningEncoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv1d init;
    private readonly Sequential attn;

    public ConditioningEncoder(long specDim, long embeddingDim, int attentionBlocks, long heads) : base(nameof(ConditioningEncoder))
    {
        init = nn.Conv1d(specDim, embeddingDim, 1);
        attn = nn.Sequential(Enumerable.Range(0, attentionBlocks).Select(_ => (nn.Module<Tensor, Tensor>)new AttentionBlock(embeddingDim, heads)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = attn.call(init.call(x)); // (B, 80, T) -> (B, D, T)
        return scope.MoveToOuter(h.select(2, 0)); // (B, D, T) -> (B, D)
    }
}
