namespace Kit.Torch;

/// <summary>
/// Owns the tensors created on this thread while it is the innermost open scope, and disposes them when
/// it ends (as TorchSharp's <c>torch.NewDisposeScope()</c>). A training step inside one frees its
/// intermediates at once instead of waiting for finalizers. Scopes nest; tensors leave a scope through
/// <see cref="MoveToOuter"/> or <see cref="torch.Tensor.DetachFromDisposeScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly HashSet<torch.Tensor> owned = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? outer;
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    internal static DisposeScope? Current => current;

    public int Count => owned.Count;

    internal void Add(torch.Tensor t)
    {
        owned.Add(t);
        t.Scope = this;
    }

    internal void Remove(torch.Tensor t)
    {
        owned.Remove(t);
        t.Scope = null;
    }

    /// <summary>Hands tensors to the enclosing scope (or to no scope, when this is the outermost).</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        Remove(tensor);
        outer?.Add(tensor);
        return tensor;
    }

    public void MoveToOuter(torch.Tensor first, torch.Tensor second, params torch.Tensor[] rest)
    {
        MoveToOuter(first);
        MoveToOuter(second);
        foreach (var t in rest) MoveToOuter(t);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        // Scopes end in the order they were opened; one ended out of order still unlinks itself.
        if (current == this) current = outer;
        foreach (var t in owned)
        {
            t.Scope = null;
            t.Dispose();
        }
        owned.Clear();
    }
}
