using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests.Reference;

/// <summary>
/// One comparison against PyTorch: named inputs (made in C#, handed to Python as raw bytes), PyTorch code
/// that sets <c>out</c> from the dict <c>I</c>, and the kit's code computing the same outputs. Gradients of
/// every input with requires_grad (and of tensors named in G / the grads dictionary) are compared too.
/// </summary>
public sealed class RefCase(string name, string python, Func<IReadOnlyDictionary<string, Tensor>, Dictionary<string, Tensor>, Tensor[]> kit)
{
    public string Name { get; } = name;
    public string Python { get; } = python;
    public Func<IReadOnlyDictionary<string, Tensor>, Dictionary<string, Tensor>, Tensor[]> Kit { get; } = kit;
    public Dictionary<string, Tensor> Inputs { get; } = new();
    public double Rtol { get; private set; } = 1e-4;
    public double Atol { get; private set; } = 1e-5;

    public RefCase(string name, string python, Func<IReadOnlyDictionary<string, Tensor>, Tensor[]> kit)
        : this(name, python, (i, _) => kit(i)) { }

    public RefCase(string name, string python, Func<IReadOnlyDictionary<string, Tensor>, Tensor> kit)
        : this(name, python, (i, _) => [kit(i)]) { }

    public RefCase In(string key, Tensor t, bool grad = false)
    {
        Inputs[key] = t.DetachFromDisposeScope().requires_grad_(grad);
        return this;
    }

    /// <summary>Hands a module's weights to Python as "p.NAME" inputs (load(m) there loads them).</summary>
    public RefCase Weights(nn.Module m)
    {
        foreach (var (k, v) in m.state_dict()) Inputs["p." + k] = v.detach().clone().DetachFromDisposeScope();
        return this;
    }

    public RefCase Tol(double rtol, double atol)
    {
        (Rtol, Atol) = (rtol, atol);
        return this;
    }

    public override string ToString() => Name;
}
