using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>
/// WaveRNN's generation loop as the fast implementations write it (Fatchord's and WellSaid's inference
/// kernels): a step's cost is mostly per-op overhead, so everything that does not depend on the previous
/// sample is done ahead and each step runs a few in-place ops on buffers made once. Per chunk of steps, the
/// conditioning's part of the input projection is one matrix product. Per step: one product for the hidden
/// projection (shared by the coarse and the fine pass: both start from the same state), the coarse half's cell,
/// its head, a draw, then only the fine half's cell (the coarse units never see the current coarse byte, so
/// their new state is already final), its head, a draw. The byte scaling (c / 127.5 − 1) is folded into the
/// weights and bias, so class ids go into the input as they are. Gate rows are reordered once to
/// [coarse r, z, n | fine r, z, n], so each half's gates are one contiguous slice.
/// </summary>
internal sealed class WaveRnnStepper : IDisposable
{
    /// <summary>Steps whose conditioning is projected (and whose sampling noise is drawn) at once: bounds the memory this takes.</summary>
    private const int Chunk = 64;

    private readonly Tensor _conditionWeight, _inputBias, _previousWeight, _currentWeight, _hiddenWeight, _hiddenBias;
    private readonly (Tensor W1, Tensor B1, Tensor W2, Tensor B2) _coarseHead, _fineHead;
    private readonly long _half;

    /// <param name="inputWeight">The masked input weight (3H, 3 + features): columns previous coarse, previous fine, current coarse, conditioning.</param>
    public WaveRnnStepper(Tensor inputWeight, Tensor hiddenWeight, Tensor inputBias, Tensor hiddenBias,
        (Linear First, Linear Second) coarseHead, (Linear First, Linear Second) fineHead)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var h = hiddenWeight.shape[1];
        _half = h / 2;
        // Row g·H + p·(H/2) + j (gate g of unit j in half p) moves to p·(3H/2) + g·(H/2) + j.
        var order = arange(3 * h).reshape(3, 2, _half).transpose(0, 1).flatten(); // (gate, half, unit) -> (half, gate, unit)
        var w = inputWeight.detach().index_select(0, order);
        // Scale(c)·w = (c / 127.5)·w − w: the constant part joins the bias.
        var scale = 1 / 127.5;
        _conditionWeight = w.narrow(1, 3, w.shape[1] - 3).t().contiguous(); // (3H, F) -> (F, 3H)
        _previousWeight = (w.narrow(1, 0, 2) * scale).t().contiguous(); // (3H, 2) -> (2, 3H)
        // Only the fine half sees the current coarse byte (the coarse rows of this column are masked to zero).
        _currentWeight = (w.narrow(1, 2, 1).narrow(0, 3 * _half, 3 * _half) * scale).t().contiguous(); // (3H/2, 1) -> (1, 3H/2)
        _inputBias = inputBias.detach().index_select(0, order) - w.narrow(1, 0, 3).sum(1); // (3H, 3 + F) -> (3H, 3) -> (3H)
        _hiddenWeight = hiddenWeight.detach().index_select(0, order).t().contiguous(); // (3H, H) -> (H, 3H)
        _hiddenBias = hiddenBias.detach().index_select(0, order);
        _coarseHead = Transposed(coarseHead);
        _fineHead = Transposed(fineHead);
        foreach (var t in Kept) t.DetachFromDisposeScope();
    }

    private IEnumerable<Tensor> Kept => [_conditionWeight, _inputBias, _previousWeight, _currentWeight, _hiddenWeight, _hiddenBias,
        _coarseHead.W1, _coarseHead.B1, _coarseHead.W2, _coarseHead.B2, _fineHead.W1, _fineHead.B1, _fineHead.W2, _fineHead.B2];

    private static (Tensor, Tensor, Tensor, Tensor) Transposed((Linear First, Linear Second) head) =>
        (head.First.weight.detach().t().contiguous(), head.First.bias!.detach(), // (out, in) -> (in, out)
         head.Second.weight.detach().t().contiguous(), head.Second.bias!.detach()); // (out, in) -> (in, out)

    /// <summary>
    /// Class ids (B, T) of the coarse and the fine byte for conditioning (B, T, features). <paramref name="pick"/>
    /// turns logits (B, 256) into ids (B, 1); null draws from their softmax (<see cref="GumbelMax"/>, noise made per chunk).
    /// </summary>
    public (Tensor Coarse, Tensor Fine) Generate(Tensor condition, Func<Tensor, Tensor>? pick)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long b = condition.shape[0], steps = condition.shape[1], half = _half;
        var device = condition.device;
        var h = zeros([b, 2 * half], device: device);
        // Class ids of the previous sample as floats; silence before the first (coarse 128, fine 0).
        var previous = cat([full([b, 1], 128f, device: device), zeros([b, 1], device: device)], 1);
        var previousCoarse = previous.narrow(1, 0, 1); // (B, 2) -> (B, 1)
        var previousFine = previous.narrow(1, 1, 1); // (B, 2) -> (B, 1)
        var gi = empty([b, 6 * half], device: device);
        var gh = empty([b, 6 * half], device: device);
        var hiddenBias = _hiddenBias.unsqueeze(0).expand(b, -1); // (3H) -> (B, 3H)
        var coarse = Half(gi, gh, h, 0);
        var fine = Half(gi, gh, h, 1);
        var coarseIds = new List<Tensor>();
        var fineIds = new List<Tensor>();
        for (long start = 0; start < steps; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(Chunk, steps - start);
            // (B, K, F) -> (K, B, F) @ (F, 3H) -> (K, B, 3H), one view per step.
            var projected = condition.narrow(1, start, length).transpose(0, 1).matmul(_conditionWeight).add_(_inputBias).unbind(0);
            Tensor[]? noise = null;
            if (pick is null)
            {
                noise = GumbelMax.Noise([length * 2, b, SixteenBit.Classes], device).unbind(0); // both draws of every step: (K·2, B, 256)
            }
            var chunkCoarse = new Tensor[length];
            var chunkFine = new Tensor[length];
            for (var k = 0; k < length; k++)
            {
                gi.copy_(projected[k]).addmm_(previous, _previousWeight);
                gh.copy_(hiddenBias).addmm_(h, _hiddenWeight);
                coarse.Step();
                var c = Draw(Head(coarse.Hidden, _coarseHead), noise?[2 * k], pick);
                previousCoarse.copy_(c);
                fine.InputGates.addmm_(previousCoarse, _currentWeight);
                fine.Step();
                var f = Draw(Head(fine.Hidden, _fineHead), noise?[2 * k + 1], pick);
                previousFine.copy_(f);
                chunkCoarse[k] = c;
                chunkFine[k] = f;
            }
            coarseIds.Add(chunkScope.MoveToOuter(cat(chunkCoarse, 1)));
            fineIds.Add(chunkScope.MoveToOuter(cat(chunkFine, 1)));
        }
        return scope.MoveToOuter(cat(coarseIds, 1), cat(fineIds, 1));
    }

    private static Tensor Head(Tensor hidden, (Tensor W1, Tensor B1, Tensor W2, Tensor B2) head) =>
        addmm(head.B2, addmm(head.B1, hidden, head.W1, 1, 1).relu_(), head.W2, 1, 1);

    private static Tensor Draw(Tensor logits, Tensor? noise, Func<Tensor, Tensor>? pick) =>
        pick?.Invoke(logits) ?? GumbelMax.Draw(logits, noise!);

    private static HalfCell Half(Tensor gi, Tensor gh, Tensor h, int index)
    {
        long half = h.shape[1] / 2;
        // (B, 3H) -> (B, 3H/2): this half's r, z, n; each (B, H/2), r and z together (B, H); its state (B, H) -> (B, H/2)
        var input = gi.narrow(1, index * 3 * half, 3 * half);
        var hidden = gh.narrow(1, index * 3 * half, 3 * half);
        return new HalfCell(input, input.narrow(1, 0, 2 * half), input.narrow(1, 0, half), input.narrow(1, half, half),
            input.narrow(1, 2 * half, half), hidden.narrow(1, 0, 2 * half), hidden.narrow(1, 2 * half, half), h.narrow(1, index * half, half));
    }

    /// <summary>
    /// Views of one half's gates (B, 3H/2 each, r z n) and state (B, H/2). libtorch's GRUCell, in place:
    /// r, z = σ(i_rz + h_rz); n = tanh(i_n + r·h_n); h' = (h − n)·z + n.
    /// </summary>
    private sealed record HalfCell(Tensor InputGates, Tensor InputRz, Tensor R, Tensor Z, Tensor InputN, Tensor HiddenRz, Tensor HiddenN, Tensor Hidden)
    {
        public void Step()
        {
            InputRz.add_(HiddenRz).sigmoid_();
            InputN.add_(HiddenN.mul_(R)).tanh_();
            Hidden.sub_(InputN).mul_(Z).add_(InputN);
        }
    }

    public void Dispose()
    {
        foreach (var t in Kept) t.Dispose();
    }
}
