using Kit.Torch.Modules;
using static Kit.Torch.Native.LibKitTorch;
using static Kit.Torch.torch;

namespace Kit.Torch.Optim;

/// <summary>SGD with momentum, dampening, Nesterov and weight decay, as torch.optim.SGD.</summary>
public sealed unsafe class SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
    double weight_decay = 0, bool nesterov = false) : Optimizer(parameters, lr)
{
    public double momentum = momentum, dampening = dampening, weight_decay = weight_decay;
    public bool nesterov = nesterov;
    private Tensor[]? buffers;
    private IntPtr[]? bufH;
    private bool started;

    public override void step()
    {
        if (CountStep() == 0) return;
        if (momentum != 0 && buffers is null)
        {
            buffers = Enumerable.Range(0, parameters.Length).Select(ZerosLike).ToArray();
            bufH = buffers.Select(b => b.Handle).ToArray();
        }
        var bufs = bufH ?? new IntPtr[parameters.Length];
        fixed (IntPtr* p = handles) fixed (IntPtr* b = bufs)
            Check(kt_sgd_step(p, b, handles.Length, lr, momentum, dampening, weight_decay, nesterov ? 1 : 0, started ? 0 : 1));
        started = true;
    }

    protected override IEnumerable<(string name, double value)> Hyper() =>
        base.Hyper().Concat([("momentum", momentum), ("dampening", dampening), ("weight_decay", weight_decay), ("nesterov", nesterov ? 1 : 0)]);

    protected override void SetHyper(string name, double value)
    {
        switch (name)
        {
            case "momentum": momentum = value; break;
            case "dampening": dampening = value; break;
            case "weight_decay": weight_decay = value; break;
            case "nesterov": nesterov = value != 0; break;
            default: base.SetHyper(name, value); break;
        }
    }

    protected override IEnumerable<(string name, Tensor? value)> State(int i)
    {
        if (buffers is not null) yield return ("momentum_buffer", buffers[i]);
    }

    protected override void LoadState(int i, string name, Tensor value)
    {
        if (name != "momentum_buffer") throw new ArgumentException($"unknown SGD state '{name}'");
        buffers ??= Enumerable.Range(0, parameters.Length).Select(ZerosLike).ToArray();
        buffers[i].Dispose();
        buffers[i] = Own(i, value);
        bufH = buffers.Select(b => b.Handle).ToArray();
        started = true;
    }

    public override void Dispose()
    {
        foreach (var b in buffers ?? []) b.Dispose();
        base.Dispose();
    }
}
