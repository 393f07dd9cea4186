using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Kit.TorchExtras;

/// <summary>
/// The learning rate and the kit's checkpoint form of an optimizer's state, for TorchSharp's Adam and AdamW:
/// flat named tensors ("group.lr", "group.beta1", ..., "state.{i}.step", "state.{i}.exp_avg", ...), the form
/// the kit's training states have used since before TorchSharp, so runs written then resume now.
/// TorchSharp's own optimizer state_dict is its binary format, which PyTorch cannot read.
/// </summary>
public static class OptimizerStates
{
    /// <summary>The first parameter group's learning rate (the kit uses one group).</summary>
    public static double get_lr(this Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    /// <summary>Sets every parameter group's learning rate.</summary>
    public static void set_lr(this Optimizer optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    /// <summary>Drops every parameter's gradient (PyTorch 2's set_to_none; TorchSharp's Optimizer.zero_grad() zeroes them).</summary>
    public static void clear_grad(this Optimizer optimizer)
    {
        foreach (var p in optimizer.parameters()) p.grad = null;
    }

    /// <summary>The state as new tensors the caller disposes; parameters never stepped are left out, as PyTorch does.</summary>
    public static Dictionary<string, Tensor> kit_state_dict(this Optimizer optimizer)
    {
        var d = new Dictionary<string, Tensor>();
        var sd = Helper(optimizer).state_dict();
        foreach (var (n, v) in Hyper(sd.Options[0])) d["group." + n] = tensor(v, ScalarType.Float64);
        for (var i = 0; i < sd.State.Count; i++)
        {
            var (step, tensors) = Moments(sd.State[i]);
            if (step == 0) continue;
            d[$"state.{i}.step"] = tensor(step);
            foreach (var (n, t) in tensors)
                if (t is not null) d[$"state.{i}.{n}"] = t.detach().clone().DetachFromDisposeScope();
        }
        return d;
    }

    /// <summary>Restores a state written by <see cref="kit_state_dict"/>: hyper-parameters, steps and moments.</summary>
    public static void load_kit_state_dict(this Optimizer optimizer, IReadOnlyDictionary<string, Tensor> state)
    {
        var sd = Helper(optimizer).state_dict();
        foreach (var (k, v) in state)
        {
            if (k.StartsWith("group.", StringComparison.Ordinal)) SetHyper(sd.Options, k["group.".Length..], v.to(ScalarType.Float64).item<double>());
            else if (k.StartsWith("state.", StringComparison.Ordinal))
            {
                var parts = k.Split('.', 3);
                if (parts.Length != 3 || !int.TryParse(parts[1], out var i) || i < 0 || i >= sd.State.Count)
                    throw new ArgumentException($"optimizer state '{k}' does not match this optimizer's {sd.State.Count} parameters");
                SetState(sd.State[i], parts[2], v);
            }
            else throw new ArgumentException($"unexpected optimizer state entry '{k}'");
        }
    }

    private static OptimizerHelper Helper(Optimizer optimizer) => optimizer as OptimizerHelper
        ?? throw new NotSupportedException($"checkpoints of {optimizer.GetType().FullName} are not supported (Adam and AdamW are)");

    private static IEnumerable<(string, double)> Hyper(OptimizerOptions o) => o switch
    {
        Adam.Options a => [("lr", a.LearningRate!.Value), ("initial_lr", a.InitialLearningRate), ("beta1", a.beta1!.Value), ("beta2", a.beta2!.Value),
            ("eps", a.eps!.Value), ("weight_decay", a.weight_decay!.Value), ("amsgrad", a.amsgrad == true ? 1 : 0)],
        AdamW.Options a => [("lr", a.LearningRate!.Value), ("initial_lr", a.InitialLearningRate), ("beta1", a.beta1!.Value), ("beta2", a.beta2!.Value),
            ("eps", a.eps!.Value), ("weight_decay", a.weight_decay!.Value), ("amsgrad", a.amsgrad == true ? 1 : 0)],
        _ => throw new NotSupportedException($"checkpoints of {o.GetType().FullName} are not supported (Adam and AdamW are)"),
    };

    private static void SetHyper(IEnumerable<OptimizerOptions> groups, string name, double value)
    {
        foreach (var o in groups)
        {
            switch (name)
            {
                case "lr": o.LearningRate = value; break;
                case "initial_lr": o.InitialLearningRate = value; break;
                default:
                    switch (o)
                    {
                        case Adam.Options a: SetAdam(ref a.beta1, ref a.beta2, ref a.eps, ref a.weight_decay, ref a.amsgrad, name, value); break;
                        case AdamW.Options a: SetAdam(ref a.beta1, ref a.beta2, ref a.eps, ref a.weight_decay, ref a.amsgrad, name, value); break;
                        default: throw new NotSupportedException($"checkpoints of {o.GetType().FullName} are not supported (Adam and AdamW are)");
                    }
                    break;
            }
        }
    }

    private static void SetAdam(ref double? beta1, ref double? beta2, ref double? eps, ref double? weightDecay, ref bool? amsgrad, string name, double value)
    {
        switch (name)
        {
            case "beta1": beta1 = value; break;
            case "beta2": beta2 = value; break;
            case "eps": eps = value; break;
            case "weight_decay": weightDecay = value; break;
            case "amsgrad":
                if ((value != 0) != (amsgrad == true))
                    throw new ArgumentException($"the checkpoint's optimizer has amsgrad {(value != 0 ? "on" : "off")}, this one {(amsgrad == true ? "on" : "off")}");
                break;
            default: throw new ArgumentException($"unknown Adam hyper-parameter '{name}'");
        }
    }

    private static (long step, (string, Tensor?)[] tensors) Moments(OptimizerState s) => s switch
    {
        Adam.State a => (a.step, [("exp_avg", a.exp_avg), ("exp_avg_sq", a.exp_avg_sq), ("max_exp_avg_sq", a.max_exp_avg_sq)]),
        AdamW.State a => (a.step, [("exp_avg", a.exp_avg), ("exp_avg_sq", a.exp_avg_sq), ("max_exp_avg_sq", a.max_exp_avg_sq)]),
        _ => throw new NotSupportedException($"checkpoints of {s.GetType().FullName} are not supported (Adam and AdamW are)"),
    };

    private static void SetState(OptimizerState s, string name, Tensor value)
    {
        switch (s)
        {
            case Adam.State a: SetMoment(ref a.step, ref a.exp_avg, ref a.exp_avg_sq, ref a.max_exp_avg_sq, name, value); break;
            case AdamW.State a: SetMoment(ref a.step, ref a.exp_avg, ref a.exp_avg_sq, ref a.max_exp_avg_sq, name, value); break;
            default: throw new NotSupportedException($"checkpoints of {s.GetType().FullName} are not supported (Adam and AdamW are)");
        }
    }

    private static void SetMoment(ref long step, ref Tensor expAvg, ref Tensor expAvgSq, ref Tensor maxExpAvgSq, string name, Tensor value)
    {
        if (name == "step")
        {
            step = value.to(ScalarType.Int64).item<long>();
            return;
        }
        var target = name switch
        {
            "exp_avg" => expAvg,
            "exp_avg_sq" => expAvgSq,
            "max_exp_avg_sq" => maxExpAvgSq ?? throw new ArgumentException("the checkpoint has max_exp_avg_sq but this optimizer's amsgrad is off"),
            _ => throw new ArgumentException($"unknown Adam state '{name}'"),
        };
        if (!target.shape.SequenceEqual(value.shape))
            throw new ArgumentException($"optimizer state '{name}' has shape [{string.Join(", ", value.shape)}], the parameter [{string.Join(", ", target.shape)}]");
        using (no_grad()) target.copy_(value);
    }
}
