using Kit.Torch.Modules;
using static Kit.Torch.Native.LibKitTorch;
using static Kit.Torch.torch;

namespace Kit.Torch.Optim;

/// <summary>
/// Adam, and AdamW when <c>decoupled</c> (weight decay applied to the weights, not the gradient), with
/// amsgrad, as torch.optim. One native call updates every parameter in place.
/// </summary>
public unsafe class Adam : Optimizer
{
    public double beta1, beta2, eps, weight_decay;
    public bool amsgrad;
    private readonly bool decoupled;
    private Tensor[]? expAvg, expAvgSq, maxExpAvgSq;
    private IntPtr[]? mH, vH, maxH;

    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0, bool amsgrad = false, bool decoupled = false) : base(parameters, lr)
    {
        (this.beta1, this.beta2, this.eps, this.weight_decay, this.amsgrad, this.decoupled) = (beta1, beta2, eps, weight_decay, amsgrad, decoupled);
    }

    private void EnsureState()
    {
        if (expAvg is not null) return;
        expAvg = Enumerable.Range(0, parameters.Length).Select(ZerosLike).ToArray();
        expAvgSq = Enumerable.Range(0, parameters.Length).Select(ZerosLike).ToArray();
        maxExpAvgSq = amsgrad ? Enumerable.Range(0, parameters.Length).Select(ZerosLike).ToArray() : null;
        RefreshHandles();
    }

    private void RefreshHandles()
    {
        mH = expAvg!.Select(t => t.Handle).ToArray();
        vH = expAvgSq!.Select(t => t.Handle).ToArray();
        maxH = maxExpAvgSq?.Select(t => t.Handle).ToArray() ?? new IntPtr[parameters.Length];
    }

    public override void step()
    {
        EnsureState();
        var common = CountStep();
        if (common == 0) return;
        if (common > 0)
        {
            Update(handles, mH!, vH!, maxH!, common);
            return;
        }
        // Parameters that missed steps (no gradient) have their own counts: update each on its own.
        for (int i = 0; i < parameters.Length; i++)
            if (kt_has_grad(handles[i]) != 0)
                Update([handles[i]], [mH![i]], [vH![i]], [maxH![i]], steps[i]);
    }

    private void Update(IntPtr[] p, IntPtr[] m, IntPtr[] v, IntPtr[] mx, long step)
    {
        fixed (IntPtr* pp = p) fixed (IntPtr* mp = m) fixed (IntPtr* vp = v) fixed (IntPtr* xp = mx)
            Check(kt_adam_step(pp, mp, vp, xp, p.Length, lr, beta1, beta2, eps, weight_decay, decoupled ? 1 : 0, amsgrad ? 1 : 0, step));
    }

    protected override IEnumerable<(string name, double value)> Hyper() =>
        base.Hyper().Concat([("beta1", beta1), ("beta2", beta2), ("eps", eps), ("weight_decay", weight_decay), ("amsgrad", amsgrad ? 1 : 0)]);

    protected override void SetHyper(string name, double value)
    {
        switch (name)
        {
            case "beta1": beta1 = value; break;
            case "beta2": beta2 = value; break;
            case "eps": eps = value; break;
            case "weight_decay": weight_decay = value; break;
            case "amsgrad": amsgrad = value != 0; break;
            default: base.SetHyper(name, value); break;
        }
    }

    protected override IEnumerable<(string name, Tensor? value)> State(int i)
    {
        if (expAvg is null) yield break;
        yield return ("exp_avg", expAvg[i]);
        yield return ("exp_avg_sq", expAvgSq![i]);
        if (maxExpAvgSq is not null) yield return ("max_exp_avg_sq", maxExpAvgSq[i]);
    }

    protected override void LoadState(int i, string name, Tensor value)
    {
        EnsureState();
        var target = name switch
        {
            "exp_avg" => expAvg!,
            "exp_avg_sq" => expAvgSq!,
            "max_exp_avg_sq" => maxExpAvgSq ?? throw new ArgumentException("state has max_exp_avg_sq but amsgrad is off"),
            _ => throw new ArgumentException($"unknown Adam state '{name}'"),
        };
        target[i].Dispose();
        target[i] = Own(i, value);
        RefreshHandles();
    }

    public override void Dispose()
    {
        foreach (var t in (expAvg ?? []).Concat(expAvgSq ?? []).Concat(maxExpAvgSq ?? [])) t.Dispose();
        base.Dispose();
    }
}

/// <summary>AdamW: Adam with decoupled weight decay (default 0.01, as torch.optim.AdamW).</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
    double weight_decay = 0.01, bool amsgrad = false) : Adam(parameters, lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled: true);
