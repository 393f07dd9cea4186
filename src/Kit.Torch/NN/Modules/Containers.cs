using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

/// <summary>Runs its modules in order; children are named "0", "1", ... as in PyTorch.</summary>
public sealed class Sequential : nn.Module<Tensor, Tensor>
{
    private readonly List<nn.Module<Tensor, Tensor>> layers = [];

    public Sequential(params nn.Module<Tensor, Tensor>[] modules) : base(nameof(Sequential))
    {
        foreach (var m in modules) append(m);
    }

    /// <summary>Children with names of the caller's choosing (the names in the state dict).</summary>
    public Sequential(params (string name, nn.Module<Tensor, Tensor> module)[] modules) : base(nameof(Sequential))
    {
        foreach (var (n, m) in modules)
        {
            register_module(n, m);
            layers.Add(m);
        }
    }

    public Sequential append(nn.Module<Tensor, Tensor> m)
    {
        register_module(layers.Count.ToString(), m);
        layers.Add(m);
        return this;
    }

    public int Count => layers.Count;

    public nn.Module<Tensor, Tensor> this[int i] => layers[i];

    public override Tensor forward(Tensor input)
    {
        // Intermediates between layers are freed at once (autograd keeps what it saved by its own
        // references); the caller owns only the result.
        var x = input;
        for (int i = 0; i < layers.Count; i++)
        {
            var next = layers[i].forward(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next)) x.Dispose();
            x = next;
        }
        return x;
    }
}

/// <summary>A list of modules registered as "0", "1", ...; the owner decides how to run them.</summary>
public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
{
    private readonly List<T> items = [];

    public ModuleList(params T[] modules) : base("ModuleList")
    {
        foreach (var m in modules) append(m);
    }

    public ModuleList<T> append(T m)
    {
        register_module(items.Count.ToString(), m);
        items.Add(m);
        return this;
    }

    public T this[int i] => items[i];
    public int Count => items.Count;
    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => items.GetEnumerator();
}
