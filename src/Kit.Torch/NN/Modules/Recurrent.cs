using static Kit.Torch.Native.LibKitTorch;
using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

/// <summary>
/// The shared part of LSTM and GRU: PyTorch's parameter layout (weight_ih_l0, weight_hh_l0, bias_ih_l0,
/// bias_hh_l0, then _reverse for the backward direction, per layer) and the call into the shim's sequence
/// kernels (at::lstm / at::gru; CPU training takes native/recurrent.cpp's faster backwards).
/// </summary>
public abstract unsafe class RecurrentBase : nn.Module
{
    protected readonly long hiddenSize, numLayers;
    protected readonly bool batchFirst, bidirectional, hasBias;
    protected readonly double dropout;
    private readonly List<Parameter> flat = [];

    protected RecurrentBase(string name, long gates, long input_size, long hidden_size, long num_layers, bool bias, bool batch_first, double dropout, bool bidirectional)
        : base(name)
    {
        (hiddenSize, numLayers, hasBias, batchFirst, this.dropout, this.bidirectional) = (hidden_size, num_layers, bias, batch_first, dropout, bidirectional);
        var dirs = bidirectional ? 2 : 1;
        var bound = 1.0 / Math.Sqrt(hidden_size);
        for (long layer = 0; layer < num_layers; layer++)
        for (int dir = 0; dir < dirs; dir++)
        {
            var suffix = $"_l{layer}" + (dir == 1 ? "_reverse" : "");
            var inSize = layer == 0 ? input_size : hidden_size * dirs;
            Add("weight_ih" + suffix, Init.Uniform([gates * hidden_size, inSize], bound));
            Add("weight_hh" + suffix, Init.Uniform([gates * hidden_size, hidden_size], bound));
            if (bias)
            {
                Add("bias_ih" + suffix, Init.Uniform([gates * hidden_size], bound));
                Add("bias_hh" + suffix, Init.Uniform([gates * hidden_size], bound));
            }
        }
    }

    private void Add(string n, Parameter p)
    {
        register_parameter(n, p);
        flat.Add(p);
    }

    protected Tensor ZeroState(Tensor input)
    {
        var batch = input.size(batchFirst ? 0 : 1);
        return zeros([numLayers * (bidirectional ? 2 : 1), batch, hiddenSize], input.dtype, input.device);
    }

    protected Tensor[] Run(bool lstm, Tensor input, params Tensor[] hx)
    {
        var ps = stackalloc IntPtr[flat.Count];
        for (int i = 0; i < flat.Count; i++) ps[i] = flat[i].Handle;
        var hs = stackalloc IntPtr[hx.Length];
        for (int i = 0; i < hx.Length; i++) hs[i] = hx[i].Handle;
        var outs = stackalloc IntPtr[3];
        Check(kt_rnn(lstm ? 1 : 0, input.Handle, hs, hx.Length, ps, flat.Count, hasBias ? 1 : 0, numLayers, dropout, training ? 1 : 0,
            bidirectional ? 1 : 0, batchFirst ? 1 : 0, outs));
        return lstm ? [new Tensor(outs[0]), new Tensor(outs[1]), new Tensor(outs[2])] : [new Tensor(outs[0]), new Tensor(outs[1])];
    }
}

/// <summary>nn.LSTM: returns the output sequence and the final (h, c), each (layers·directions, batch, hidden).</summary>
public sealed class LSTM(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false)
    : RecurrentBase(nameof(LSTM), 4, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)
{
    public (Tensor output, Tensor h_n, Tensor c_n) forward(Tensor input, (Tensor h0, Tensor c0)? state = null)
    {
        if (state is { } s)
        {
            var r = Run(true, input, s.h0, s.c0);
            return (r[0], r[1], r[2]);
        }
        using var h0 = ZeroState(input);
        using var c0 = ZeroState(input);
        var o = Run(true, input, h0, c0);
        return (o[0], o[1], o[2]);
    }

    public (Tensor output, Tensor h_n, Tensor c_n) call(Tensor input, (Tensor h0, Tensor c0)? state = null) => forward(input, state);
}

/// <summary>nn.GRU: returns the output sequence and the final h, (layers·directions, batch, hidden).</summary>
public sealed class GRU(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false)
    : RecurrentBase(nameof(GRU), 3, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)
{
    public (Tensor output, Tensor h_n) forward(Tensor input, Tensor? h0 = null)
    {
        if (h0 is not null)
        {
            var r = Run(false, input, h0);
            return (r[0], r[1]);
        }
        using var z = ZeroState(input);
        var o = Run(false, input, z);
        return (o[0], o[1]);
    }

    public (Tensor output, Tensor h_n) call(Tensor input, Tensor? h0 = null) => forward(input, h0);
}

/// <summary>nn.LSTMCell: one step, (batch, input) and (h, c) to the next (h, c).</summary>
public sealed unsafe class LSTMCell : nn.Module
{
    public Parameter weight_ih, weight_hh;
    public Parameter? bias_ih, bias_hh;
    private readonly long hidden;

    public LSTMCell(long input_size, long hidden_size, bool bias = true) : base(nameof(LSTMCell))
    {
        hidden = hidden_size;
        var bound = 1.0 / Math.Sqrt(hidden_size);
        weight_ih = Init.Uniform([4 * hidden_size, input_size], bound);
        weight_hh = Init.Uniform([4 * hidden_size, hidden_size], bound);
        register_parameter("weight_ih", weight_ih);
        register_parameter("weight_hh", weight_hh);
        if (bias)
        {
            bias_ih = Init.Uniform([4 * hidden_size], bound);
            bias_hh = Init.Uniform([4 * hidden_size], bound);
            register_parameter("bias_ih", bias_ih);
            register_parameter("bias_hh", bias_hh);
        }
    }

    public (Tensor h, Tensor c) forward(Tensor input, (Tensor h, Tensor c)? state = null)
    {
        using var scope = NewDisposeScope();
        var (h, c) = state ?? (zeros([input.size(0), hidden], input.dtype, input.device), zeros([input.size(0), hidden], input.dtype, input.device));
        var outs = stackalloc IntPtr[2];
        Check(kt_lstm_cell(input.Handle, h.Handle, c.Handle, weight_ih.Handle, weight_hh.Handle,
            bias_ih?.Handle ?? IntPtr.Zero, bias_hh?.Handle ?? IntPtr.Zero, outs));
        scope.Dispose();
        return (new Tensor(outs[0]), new Tensor(outs[1]));
    }

    public (Tensor h, Tensor c) call(Tensor input, (Tensor h, Tensor c)? state = null) => forward(input, state);
}

/// <summary>nn.GRUCell: one step, (batch, input) and h to the next h.</summary>
public sealed class GRUCell : nn.Module<Tensor, Tensor?, Tensor>
{
    public Parameter weight_ih, weight_hh;
    public Parameter? bias_ih, bias_hh;
    private readonly long hidden;

    public GRUCell(long input_size, long hidden_size, bool bias = true) : base(nameof(GRUCell))
    {
        hidden = hidden_size;
        var bound = 1.0 / Math.Sqrt(hidden_size);
        weight_ih = Init.Uniform([3 * hidden_size, input_size], bound);
        weight_hh = Init.Uniform([3 * hidden_size, hidden_size], bound);
        register_parameter("weight_ih", weight_ih);
        register_parameter("weight_hh", weight_hh);
        if (bias)
        {
            bias_ih = Init.Uniform([3 * hidden_size], bound);
            bias_hh = Init.Uniform([3 * hidden_size], bound);
            register_parameter("bias_ih", bias_ih);
            register_parameter("bias_hh", bias_hh);
        }
    }

    public override Tensor forward(Tensor input, Tensor? h)
    {
        using var z = h is null ? zeros([input.size(0), hidden], input.dtype, input.device).DetachFromDisposeScope() : null;
        return new Tensor(Check(kt_gru_cell(input.Handle, (h ?? z!).Handle, weight_ih.Handle, weight_hh.Handle,
            bias_ih?.Handle ?? IntPtr.Zero, bias_hh?.Handle ?? IntPtr.Zero)));
    }
}
