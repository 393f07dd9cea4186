using Kit.Torch.Modules;
using static Kit.Torch.Native.LibKitTorch;
using static Kit.Torch.torch;

namespace Kit.Torch.Optim;

/// <summary>
/// One parameter group's optimizer. Its state (per-parameter tensors, step counts, hyper-parameters) goes
/// to and from <see cref="state_dict"/> as named tensors, "state.{i}.{name}" and "group.{name}", so a
/// checkpoint written with the kit's serializers resumes a run exactly.
/// </summary>
public abstract class Optimizer : IDisposable
{
    protected readonly Parameter[] parameters;
    protected readonly IntPtr[] handles;
    protected readonly long[] steps;

    protected Optimizer(IEnumerable<Parameter> parameters, double lr)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("optimizer got an empty parameter list");
        handles = this.parameters.Select(p => p.Handle).ToArray();
        steps = new long[this.parameters.Length];
        this.lr = lr;
        initial_lr = lr;
    }

    /// <summary>The learning rate the next step uses (a scheduler changes it).</summary>
    public double lr { get; set; }

    /// <summary>The rate schedulers scale from (PyTorch's group["initial_lr"]).</summary>
    public double initial_lr { get; set; }

    public IReadOnlyList<Parameter> Parameters => parameters;

    public abstract void step();

    public void zero_grad(bool set_to_none = true)
    {
        foreach (var p in parameters)
        {
            if (set_to_none) p.grad = null;
            else
            {
                using var g = p.grad;
                g?.zero_();
            }
        }
    }

    /// <summary>Counts a step for each parameter that has a gradient; returns the common count, or -1 if they differ.</summary>
    protected long CountStep()
    {
        long common = 0;
        for (int i = 0; i < handles.Length; i++)
        {
            if (kt_has_grad(handles[i]) == 0) continue;
            var s = ++steps[i];
            common = common == 0 ? s : common == s ? s : -1;
        }
        return common;
    }

    protected virtual IEnumerable<(string name, double value)> Hyper() => [("lr", lr), ("initial_lr", initial_lr)];

    protected virtual void SetHyper(string name, double value)
    {
        if (name == "lr") lr = value;
        else if (name == "initial_lr") initial_lr = value;
    }

    /// <summary>The per-parameter state tensors of parameter i (created on first step).</summary>
    protected abstract IEnumerable<(string name, Tensor? value)> State(int i);

    protected abstract void LoadState(int i, string name, Tensor value);

    /// <summary>Copies of the whole optimizer state as named tensors.</summary>
    public Dictionary<string, Tensor> state_dict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (n, v) in Hyper()) d["group." + n] = tensor(v, ScalarType.Float64);
        for (int i = 0; i < parameters.Length; i++)
        {
            if (steps[i] == 0) continue;
            d[$"state.{i}.step"] = tensor(steps[i]);
            foreach (var (n, t) in State(i))
                if (t is not null) d[$"state.{i}.{n}"] = t.detach().clone();
        }
        return d;
    }

    public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
    {
        foreach (var (k, v) in state)
        {
            if (k.StartsWith("group.")) SetHyper(k["group.".Length..], v.item<double>());
            else if (k.StartsWith("state."))
            {
                var parts = k.Split('.', 3);
                if (parts.Length != 3 || !int.TryParse(parts[1], out var i) || i < 0 || i >= parameters.Length)
                    throw new ArgumentException($"optimizer state '{k}' does not match this optimizer's {parameters.Length} parameters");
                if (parts[2] == "step") steps[i] = v.item<long>();
                else LoadState(i, parts[2], v);
            }
            else throw new ArgumentException($"unexpected optimizer state entry '{k}'");
        }
    }

    /// <summary>A buffer like parameter i, zero, owned by the optimizer (never by a dispose scope).</summary>
    protected Tensor ZerosLike(int i) => zeros_like(parameters[i]).DetachFromDisposeScope();

    /// <summary>Copies a loaded state tensor into a fresh optimizer-owned buffer on the parameter's device.</summary>
    protected Tensor Own(int i, Tensor value)
    {
        var t = ZerosLike(i);
        using (no_grad()) t.copy_(value);
        return t;
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
