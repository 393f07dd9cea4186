using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>TorToiSe's learned absolute positions (<c>emb</c>, std 0.02): one row per position from 0.</summary>
public sealed class LearnedPositionEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Embedding emb;

    public LearnedPositionEmbeddings(long positions, long dim) : base(nameof(LearnedPositionEmbeddings))
    {
        emb = nn.Embedding(positions, dim);
        using (no_grad()) emb.weight!.normal_(0, 0.02);
        RegisterComponents();
    }

    /// <summary>Embeddings of positions 0..L-1 for tokens (B, L): (L, D), broadcast over the batch.</summary>
    public override Tensor forward(Tensor tokens)
    {
        var length = tokens.size(1);
        if (length > emb.weight!.size(0))
            throw new ArgumentException($"a sequence of {length} tokens is longer than the {emb.weight.size(0)} learned positions");
        using var positions = arange(0, length, 1, ScalarType.Int64, tokens.device);
        return emb.call(positions);
    }
}
