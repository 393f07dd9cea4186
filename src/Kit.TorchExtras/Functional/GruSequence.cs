using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>
/// A GRU layer's recurrence over a whole sequence as one autograd node, with its backward written out (backpropagation
/// through time), for <see cref="RecurrentFunctional.gru"/>. Recorded op by op, every step of the recurrence put ~10
/// nodes on autograd's tape and ran ~20 kernels backward, each paying libtorch's and TorchSharp's per-op cost on
/// (batch, hidden)-sized tensors: that cost was WaveRNN's training step (768 steps of a 128-unit GRU took 154-179 ms
/// forward and backward, libtorch's own C++ loop 132 ms). Here the forward runs untaped (6 ops a step: lerp and
/// addcmul fold the cell's updates); what the backward needs per step beyond the saved states (the sigmoids' and
/// tanh's derivatives) is computed once over the whole sequence; the backward's step is ~13 ops; and the
/// hidden weight's and bias's gradients are one matrix product and one sum over all steps after the loop.
/// Inputs: the input projections (T, B, 3H) with their bias, h0 (B, H), w_hh (3H, H), b_hh (3H) or null. Output: the
/// hidden states (T, B, H). Gate order r, z, n, as libtorch's GRU cell.
/// </summary>
internal sealed class GruSequence : autograd.MultiTensorFunction<GruSequence>
{
    public override string Name => nameof(GruSequence);

    /// <summary>vars: input gates, h0, w_hh, b_hh (or null), and whether the node will run backward (grad mode on and an input needing a gradient), so an untaped call saves nothing.</summary>
    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var inputGates = (Tensor)vars[0];
        var h0 = (Tensor)vars[1];
        var w_hh = (Tensor)vars[2];
        var b_hh = vars[3] as Tensor;
        var needsBackward = (bool)vars[4];
        long steps = inputGates.shape[0], hidden = h0.shape[1];
        var states = new Tensor[steps]; // h_t
        var resetUpdate = new Tensor[steps]; // σ of the r and z gates
        var candidates = new Tensor[steps]; // n_t
        var hiddenGates = new Tensor[steps]; // w_hh·h_{t-1} + b_hh, whose n part the backward needs
        var h = h0.to(inputGates.dtype);
        using (var transposed = w_hh.t())
        {
            for (long t = 0; t < steps; t++)
            {
                using var scope = NewDisposeScope();
                var i = inputGates[t]; // (B, 3H)
                var g = b_hh is null ? h.matmul(transposed) : addmm(b_hh, h, transposed, 1, 1); // (B, 3H)
                var rz = (i.narrow(1, 0, 2 * hidden) + g.narrow(1, 0, 2 * hidden)).sigmoid_();
                var n = addcmul(i.narrow(1, 2 * hidden, hidden), rz.narrow(1, 0, hidden), g.narrow(1, 2 * hidden, hidden), 1).tanh_();
                h = lerp(n, h, rz.narrow(1, hidden, hidden)); // n + z·(h − n)
                states[t] = h.MoveToOuterDisposeScope();
                if (!needsBackward) continue; // the gates die with the step's scope
                resetUpdate[t] = rz.MoveToOuterDisposeScope();
                candidates[t] = n.MoveToOuterDisposeScope();
                hiddenGates[t] = g.MoveToOuterDisposeScope();
            }
        }
        var output = stack(states, 0);
        if (needsBackward)
        {
            var rzAll = stack(resetUpdate, 0); // (T, B, 2H)
            var nAll = stack(candidates, 0); // (T, B, H)
            var ghn = stack(hiddenGates, 0).narrow(2, 2 * hidden, hidden); // (T, B, H)
            var rzSlope = rzAll * (1 - rzAll); // σ' = σ(1 − σ), for r and z at once
            var nSlope = 1 - nAll * nAll; // tanh' = 1 − tanh²
            var previous = cat([h0.to(output.dtype).unsqueeze(0), output.narrow(0, 0, steps - 1)], 0); // h_{t-1}: (T, B, H)
            ctx.save_for_backward([previous, rzAll, nAll, ghn, rzSlope, nSlope, w_hh.detach()]);
            ctx.save_data("bias", b_hh is not null);
        }
        foreach (var list in new[] { states, resetUpdate, candidates, hiddenGates })
            foreach (var tensor in list) tensor?.Dispose();
        // One output: where a second (the last state) went unused, TorchSharp 0.107 would make its gradient's zeros
        // from a tensor of the caller's dispose scope, gone by the time backward runs. The caller selects the last state.
        return [output];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> grads)
    {
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        Tensor previous = saved[0], rzAll = saved[1], nAll = saved[2], ghn = saved[3], rzSlope = saved[4], nSlope = saved[5];
        var w_hh = saved[6].to(previous.dtype); // under autocast the states are bfloat16, the weight float32
        var hasBias = (bool)ctx.get_data("bias");
        long steps = previous.shape[0], hidden = previous.shape[2];
        var outputGrad = grads[0].to(previous.dtype);
        var carried = zeros_like(previous[0]); // ∂h_t from step t + 1
        var inputGateGrads = new Tensor[steps];
        var hiddenGateGrads = new Tensor[steps];
        for (var t = steps - 1; t >= 0; t--)
        {
            using var step = NewDisposeScope();
            var dh = carried + outputGrad[t]; // from the output at t and from step t + 1
            var r = rzAll[t].narrow(1, 0, hidden);
            var z = rzAll[t].narrow(1, hidden, hidden);
            var n = nAll[t];
            // h = n + z·(h_prev − n): ∂n = dh·(1 − z), ∂z = dh·(h_prev − n), ∂h_prev = dh·z (+ through w_hh below)
            var dhz = dh * z;
            var dn = (dh - dhz).mul_(nSlope[t]); // at the tanh's input: i_n + r·g_n
            var dr = dn * ghn[t];
            var dz = dh * (previous[t] - n);
            var drz = cat([dr, dz], 1).mul_(rzSlope[t]); // at the sigmoids' inputs: i + g for r and z alike
            var dg = cat([drz, dn * r], 1); // (B, 3H) at w_hh·h_prev + b_hh
            inputGateGrads[t] = cat([drz, dn], 1).MoveToOuterDisposeScope();
            hiddenGateGrads[t] = dg.MoveToOuterDisposeScope();
            var next = addmm(dhz, dg, w_hh, 1, 1).MoveToOuterDisposeScope(); // ∂h_{t-1}
            carried.Dispose();
            carried = next;
        }
        var dInput = stack(inputGateGrads, 0);
        var dHidden = stack(hiddenGateGrads, 0).flatten(0, 1); // (T·B, 3H)
        var dWeight = dHidden.t().matmul(previous.flatten(0, 1)); // Σ_t dg_tᵀ·h_{t-1}
        Tensor? dBias = hasBias ? dHidden.sum(0L) : null;
        grads[0].Dispose();
        return [dInput.MoveToOuterDisposeScope(), carried.MoveToOuterDisposeScope(), dWeight.MoveToOuterDisposeScope(), dBias?.MoveToOuterDisposeScope()!, null!]; // none for the flag
    }
}
