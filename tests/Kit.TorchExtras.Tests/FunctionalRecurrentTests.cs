using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>
/// nn.functional.gru and gru_cell over caller-computed weights against torch._VF.gru and torch.gru_cell: an
/// input weight masked in the forward pass (as WaveRNN's) gives the same outputs and the same gradients,
/// with and without gradients (the recurrence's own backward, GruSequence, for every input: weights, biases, x, h0).
/// </summary>
public sealed class FunctionalRecurrentTests
{
    [Fact]
    public void Gru_over_masked_weights_matches_pytorch_in_outputs_and_gradients()
    {
        using var dir = new TempDir();
        manual_seed(5);
        long b = 3, t = 7, input = 4, hidden = 6;
        var tensors = new Dictionary<string, Tensor>
        {
            ["x"] = randn(b, t, input), ["h0"] = randn(1, b, hidden), ["mask"] = (rand(3 * hidden, input) > 0.3).to(float32),
            ["w_ih"] = randn(3 * hidden, input) * 0.4, ["w_hh"] = randn(3 * hidden, hidden) * 0.4,
            ["b_ih"] = randn(3 * hidden) * 0.1, ["b_hh"] = randn(3 * hidden) * 0.1, ["cell_x"] = randn(b, input),
        };
        var w = new[] { "w_ih", "w_hh", "b_ih", "b_hh" }.Select(n => tensors[n].clone().requires_grad_()).ToArray();
        var x = tensors["x"].clone().requires_grad_();
        var h0 = tensors["h0"].clone().requires_grad_();
        var (output, hN) = RecurrentFunctional.gru(x, h0, [w[0] * tensors["mask"], w[1], w[2], w[3]], train: true, batch_first: true);
        (output.square().sum() + hN.sum()).backward();
        Tensor inference;
        using (no_grad())
            inference = RecurrentFunctional.gru(tensors["x"], tensors["h0"], [tensors["w_ih"] * tensors["mask"], tensors["w_hh"], tensors["b_ih"], tensors["b_hh"]], batch_first: true).output;
        var cell = RecurrentFunctional.gru_cell(tensors["cell_x"], tensors["h0"][0], tensors["w_ih"], tensors["w_hh"], tensors["b_ih"], tensors["b_hh"]);
        TensorFiles.save(tensors, dir["in.pth"]);

        ReferencePython.Run("""
import sys, torch
S = torch.load(sys.argv[1])
w = [S[k].clone().requires_grad_(True) for k in ('w_ih', 'w_hh', 'b_ih', 'b_hh')]
x, h0 = S['x'].clone().requires_grad_(True), S['h0'].clone().requires_grad_(True)
out, h = torch._VF.gru(x, h0, [w[0] * S['mask'], w[1], w[2], w[3]], True, 1, 0.0, True, False, True)
(out.square().sum() + h.sum()).backward()
cell = torch.gru_cell(S['cell_x'], S['h0'][0], S['w_ih'], S['w_hh'], S['b_ih'], S['b_hh'])
torch.save({'output': out.detach(), 'h_n': h.detach(), 'cell': cell, 'g_w_ih': w[0].grad, 'g_w_hh': w[1].grad, 'g_b_ih': w[2].grad, 'g_b_hh': w[3].grad, 'g_x': x.grad, 'g_h0': h0.grad}, sys.argv[2])
""", dir["in.pth"], dir["out.pth"]);
        var r = TensorFiles.load(dir["out.pth"]);
        Close(r["output"], output, "output");
        Close(r["output"], inference, "output without gradients");
        Close(r["h_n"], hN, "h_n");
        Close(r["cell"], cell, "gru_cell");
        Close(r["g_w_ih"], w[0].grad!, "gradient of the masked w_ih");
        Close(r["g_w_hh"], w[1].grad!, "gradient of w_hh");
        Close(r["g_b_ih"], w[2].grad!, "gradient of b_ih");
        Close(r["g_b_hh"], w[3].grad!, "gradient of b_hh");
        Close(r["g_x"], x.grad!, "gradient of the input");
        Close(r["g_h0"], h0.grad!, "gradient of h0");
    }

    private static void Close(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual.detach()).abs().max().item<float>();
        Assert.True(diff < 1e-4f, $"{what}: differs from PyTorch by {diff}");
    }
}
