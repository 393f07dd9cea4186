using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static unsafe partial class functional
        {
            /// <summary>
            /// A GRU over weights the caller computes (torch._VF.gru): e.g. an input weight masked in the forward
            /// pass so that some units never see some inputs, with gradients flowing through the mask.
            /// <paramref name="weights"/> are PyTorch's flat list per layer and direction: w_ih, w_hh[, b_ih, b_hh].
            /// Returns the output sequence and the final hidden state (layers·directions, batch, hidden).
            /// </summary>
            public static (Tensor output, Tensor h_n) gru(Tensor input, Tensor hx, IReadOnlyList<Tensor> weights, bool has_biases = true,
                long num_layers = 1, double dropout = 0, bool train = false, bool bidirectional = false, bool batch_first = false)
            {
                var ps = stackalloc IntPtr[weights.Count];
                for (var i = 0; i < weights.Count; i++) ps[i] = weights[i].Handle;
                var hs = stackalloc IntPtr[1];
                hs[0] = hx.Handle;
                var outs = stackalloc IntPtr[3];
                Check(kt_rnn(0, input.Handle, hs, 1, ps, weights.Count, has_biases ? 1 : 0, num_layers, dropout, train ? 1 : 0,
                    bidirectional ? 1 : 0, batch_first ? 1 : 0, outs));
                return (new Tensor(outs[0]), new Tensor(outs[1]));
            }

            /// <summary>One GRU step (torch.gru_cell) over the caller's weights: (batch, input) and h (batch, hidden) to the next h.</summary>
            public static Tensor gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih = null, Tensor? b_hh = null) =>
                new(Check(kt_gru_cell(input.Handle, hx.Handle, w_ih.Handle, w_hh.Handle, H(b_ih), H(b_hh))));
        }
    }
}
