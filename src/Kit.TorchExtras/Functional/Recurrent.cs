using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>
/// torch._VF.gru and torch.gru_cell over weights the caller computes (TorchSharp 0.107 has only the GRU
/// modules): e.g. an input weight masked in the forward pass, as WaveRNN's, with gradients flowing through
/// the mask. Computed as libtorch's CPU GRU computes it (input projections for the whole sequence first, taped
/// by autograd; then one hidden projection per step, the cell's gate order r, z, n), the recurrence as one
/// autograd node with its own backward (<see cref="GruSequence"/>).
/// </summary>
public static class RecurrentFunctional
{
    /// <summary>
    /// A GRU; <paramref name="weights"/> are PyTorch's flat list per layer: w_ih, w_hh[, b_ih, b_hh].
    /// Returns the output sequence and the final hidden state (layers, batch, hidden). One direction.
    /// </summary>
    public static (Tensor output, Tensor h_n) gru(Tensor input, Tensor hx, IReadOnlyList<Tensor> weights, bool has_biases = true,
        long num_layers = 1, double dropout = 0, bool train = false, bool bidirectional = false, bool batch_first = false)
    {
        if (bidirectional) throw new NotSupportedException("functional gru: bidirectional is not implemented (the kit's models use one direction)");
        var perLayer = has_biases ? 4 : 2;
        if (weights.Count != perLayer * num_layers)
            throw new ArgumentException($"functional gru: {num_layers} layer(s) need {perLayer * num_layers} weights, got {weights.Count}");
        using var scope = NewDisposeScope();
        var x = batch_first ? input.transpose(0, 1) : input; // (T, B, features)
        var finals = new List<Tensor>();
        for (var layer = 0; layer < num_layers; layer++)
        {
            var w = weights.Skip(layer * perLayer).Take(perLayer).ToArray();
            Tensor? bIh = has_biases ? w[2] : null, bHh = has_biases ? w[3] : null;
            if (layer > 0 && dropout > 0 && train) x = nn.functional.dropout(x, dropout, training: true);
            var inputGates = nn.functional.linear(x, w[0], bIh); // (T, B, 3H)
            var needsBackward = is_grad_enabled() && new[] { inputGates, hx, w[1], bHh }.Any(t => t is not null && t.requires_grad);
            x = GruSequence.apply(inputGates, hx[layer], w[1], bHh!, needsBackward)[0]; // (T, B, H)
            finals.Add(x[-1]);
        }
        var output = batch_first ? x.transpose(0, 1) : x;
        return (scope.MoveToOuter(output), scope.MoveToOuter(stack(finals, 0)));
    }

    /// <summary>One GRU step over the caller's weights: (batch, input) and h (batch, hidden) to the next h.</summary>
    public static Tensor gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih = null, Tensor? b_hh = null)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Step(nn.functional.linear(input, w_ih, b_ih), hx, w_hh, b_hh));
    }

    // libtorch's GRUCell: r = σ(i_r + h_r), z = σ(i_z + h_z), n = tanh(i_n + r·h_n), h' = (h − n)·z + n.
    private static Tensor Step(Tensor inputGates, Tensor h, Tensor w_hh, Tensor? b_hh)
    {
        var i = inputGates.chunk(3, 1);
        var g = nn.functional.linear(h, w_hh, b_hh).chunk(3, 1);
        var r = (g[0] + i[0]).sigmoid();
        var z = (g[1] + i[1]).sigmoid();
        var n = (i[2] + g[2] * r).tanh();
        return (h - n) * z + n;
    }
}
