using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

/// <summary>
/// nn.MultiheadAttention (same parameter names: in_proj_weight, in_proj_bias, out_proj.weight/bias).
/// Inputs are (L, N, E), or (N, L, E) with batch_first. key_padding_mask is (N, S), true where a key is
/// padding; attn_mask is (L, S) or (N·heads, L, S), bool true where attention is NOT allowed, or a float
/// mask added to the scores, all as PyTorch. Returns the output and the head-averaged weights.
/// </summary>
public sealed class MultiheadAttention : nn.Module
{
    public Parameter in_proj_weight;
    public Parameter? in_proj_bias;
    public Linear out_proj;
    private readonly long embedDim, numHeads;
    private readonly double dropoutP;
    private readonly bool batchFirst;

    public MultiheadAttention(long embed_dim, long num_heads, double dropout = 0, bool bias = true, bool batch_first = false) : base(nameof(MultiheadAttention))
    {
        if (embed_dim % num_heads != 0) throw new ArgumentException($"embed_dim {embed_dim} is not divisible by num_heads {num_heads}");
        (embedDim, numHeads, dropoutP, batchFirst) = (embed_dim, num_heads, dropout, batch_first);
        in_proj_weight = Init.XavierUniform([3 * embed_dim, embed_dim]);
        register_parameter("in_proj_weight", in_proj_weight);
        if (bias)
        {
            in_proj_bias = Init.Constant([3 * embed_dim], 0);
            register_parameter("in_proj_bias", in_proj_bias);
        }
        out_proj = new Linear(embed_dim, embed_dim, bias);
        if (bias) using (no_grad()) out_proj.bias!.zero_();
        register_module("out_proj", out_proj);
    }

    public (Tensor output, Tensor? weights) forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask = null,
        bool need_weights = true, Tensor? attn_mask = null)
    {
        using var scope = NewDisposeScope();
        if (batchFirst) (query, key, value) = (query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1));
        long l = query.size(0), n = query.size(1), s = key.size(0), hd = embedDim / numHeads;
        var w = in_proj_weight.chunk(3);
        var b = in_proj_bias?.chunk(3);
        // (L, N, E) -> (N, heads, L, hd)
        Tensor Project(Tensor x, int i, long len) =>
            nn.functional.linear(x, w[i], b?[i]).reshape(len, n * numHeads, hd).transpose(0, 1).reshape(n, numHeads, len, hd);
        var q = Project(query, 0, l);
        var k = Project(key, 1, s);
        var v = Project(value, 2, s);

        // Additive float mask of shape broadcastable to (N, heads, L, S): -inf where blocked.
        Tensor? mask = null;
        if (attn_mask is not null)
        {
            var m = attn_mask.dtype == ScalarType.Bool ? zeros(attn_mask.shape, q.dtype).masked_fill(attn_mask, double.NegativeInfinity) : attn_mask;
            mask = m.dim() == 2 ? m : m.reshape(n, numHeads, l, s);
        }
        if (key_padding_mask is not null)
        {
            var pad = zeros(key_padding_mask.shape, q.dtype).masked_fill(key_padding_mask, double.NegativeInfinity).reshape(n, 1, 1, s);
            mask = mask is null ? pad : mask + pad;
        }
        var scores = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(hd);
        if (mask is not null) scores = scores + mask;
        var attn = scores.softmax(-1);
        var dropped = dropoutP > 0 && training ? nn.functional.dropout(attn, dropoutP, true) : attn;
        var o = dropped.matmul(v).permute(2, 0, 1, 3).reshape(l, n, embedDim);
        var output = out_proj.forward(o);
        if (batchFirst) output = output.transpose(0, 1);
        Tensor? weights = need_weights ? attn.mean(1) : null;
        scope.MoveToOuter(output);
        if (weights is not null) scope.MoveToOuter(weights);
        return (output, weights);
    }
}
