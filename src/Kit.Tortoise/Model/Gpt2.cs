using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>
/// Hugging Face GPT-2's "Conv1D": a linear layer whose weight is stored [in, out] (transposed from
/// nn.Linear), so state dicts from PyTorch load name for name and shape for shape.
/// </summary>
public sealed class Gpt2Conv1D : nn.Module<Tensor, Tensor>
{
    private Parameter weight, bias;

    public Gpt2Conv1D(long nx, long nf) : base("Conv1D")
    {
        weight = Init.Normal([nx, nf], 0.02);
        bias = Init.Constant([nf], 0);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var wt = weight.t(); // (in, out) -> (out, in), nn.Linear's layout
        return nn.functional.linear(x, wt, bias);
    }
}

/// <summary>
/// GPT-2 causal self-attention. Keeps the buffers transformers ≤ 4.30 saved (<c>bias</c>, the lower
/// triangular mask, and <c>masked_bias</c>): TorToiSe's autoregressive.pth carries them and TorToiSe loads
/// it strictly, so a fine-tuned checkpoint must carry them too.
/// </summary>
public sealed class Gpt2Attention : nn.Module<Tensor, Tensor>
{
    private readonly Gpt2Conv1D c_attn, c_proj;
    private Tensor bias, masked_bias;
    private readonly long dim, heads;
    private readonly double dropout;

    public Gpt2Attention(long dim, long heads, long positions, double dropout) : base("GPT2Attention")
    {
        (this.dim, this.heads, this.dropout) = (dim, heads, dropout);
        c_attn = new Gpt2Conv1D(dim, 3 * dim);
        c_proj = new Gpt2Conv1D(dim, dim);
        using (var all = ones([positions, positions], ScalarType.Bool)) bias = all.tril().reshape(1, 1, positions, positions); // (P, P) -> (1, 1, P, P)
        masked_bias = tensor(-1e4f); // float32 as in GPT-2 (a double literal would make TorchSharp a float64 tensor)
        RegisterComponents();
    }

    /// <summary>x: (B, T, D) → (B, T, D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), t = x.size(1), hd = dim / heads;
        var qkv = c_attn.call(x).split(dim, 2); // (B, T, 3D) -> 3 × (B, T, D)
        Tensor Heads(Tensor y) => y.reshape(b, t, heads, hd).permute(0, 2, 1, 3); // (B, T, D) -> (B, T, H, D/H) -> (B, H, T, D/H)
        var scores = Heads(qkv[0]).matmul(Heads(qkv[1]).transpose(-1, -2)) / Math.Sqrt(hd); // k: (B, H, T, D/H) -> (B, H, D/H, T); scores (B, H, T, T)
        var causal = bias.narrow(2, 0, t).narrow(3, 0, t); // (1, 1, P, P) -> (1, 1, T, T)
        scores = scores.masked_fill(causal.logical_not(), float.MinValue);
        var weights = scores.softmax(-1);
        weights = nn.functional.dropout(weights, dropout, training);
        var merged = weights.matmul(Heads(qkv[2])).permute(0, 2, 1, 3).reshape(b, t, dim); // (B, H, T, D/H) -> (B, T, H, D/H) -> (B, T, D)
        return scope.MoveToOuter(nn.functional.dropout(c_proj.call(merged), dropout, training));
    }
}

/// <summary>GPT-2's feed-forward: 4× wider, "gelu_new" (the tanh approximation).</summary>
public sealed class Gpt2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Gpt2Conv1D c_fc, c_proj;
    private readonly double dropout;

    public Gpt2Mlp(long dim, double dropout) : base("GPT2MLP")
    {
        this.dropout = dropout;
        c_fc = new Gpt2Conv1D(dim, 4 * dim);
        c_proj = new Gpt2Conv1D(4 * dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = c_fc.call(x);
        var g = 0.5 * h * (1.0 + (Math.Sqrt(2.0 / Math.PI) * (h + 0.044715 * h.pow(3))).tanh());
        return scope.MoveToOuter(nn.functional.dropout(c_proj.call(g), dropout, training));
    }
}

public sealed class Gpt2Block : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly Gpt2Attention attn;
    private readonly LayerNorm ln_2;
    private readonly Gpt2Mlp mlp;

    public Gpt2Block(long dim, long heads, long positions, double dropout) : base("GPT2Block")
    {
        ln_1 = nn.LayerNorm(dim);
        attn = new Gpt2Attention(dim, heads, positions, dropout);
        ln_2 = nn.LayerNorm(dim);
        mlp = new Gpt2Mlp(dim, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x + attn.call(ln_1.call(x));
        return scope.MoveToOuter(h + mlp.call(ln_2.call(h)));
    }
}

/// <summary>
/// The GPT-2 stack as TorToiSe uses it: fed embeddings directly, so GPT-2's own token and position
/// embeddings (wte, wpe) are deleted and appear nowhere in the state dict; h.N blocks, then ln_f.
/// </summary>
public sealed class Gpt2Model : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;
    private readonly double dropout;

    public Gpt2Model(int layers, long dim, long heads, long positions, double dropout) : base("GPT2Model")
    {
        this.dropout = dropout;
        h = nn.ModuleList(Enumerable.Range(0, layers).Select(_ => new Gpt2Block(dim, heads, positions, dropout)).ToArray());
        ln_f = nn.LayerNorm(dim);
        RegisterComponents();
    }

    /// <summary>inputs_embeds (B, T, D) → last hidden state (B, T, D).</summary>
    public override Tensor forward(Tensor inputsEmbeds)
    {
        var x = nn.functional.dropout(inputsEmbeds, dropout, training);
        foreach (var block in h)
        {
            var next = block.call(x);
            if (!ReferenceEquals(x, inputsEmbeds)) x.Dispose();
            x = next;
        }
        var y = ln_f.call(x);
        if (!ReferenceEquals(x, inputsEmbeds)) x.Dispose();
        return y;
    }
}
