namespace Kit.Torch.Formats;

/// <summary>
/// A global a pickle named (GLOBAL / STACK_GLOBAL) that is on the allow-list. It is never Python code: either
/// a C# function that builds a value from its arguments (REDUCE), or a marker such as a storage type.
/// </summary>
internal sealed class PyGlobal(string module, string name, Func<PyTuple, object?>? call = null)
{
    public string Module { get; } = module;
    public string Name { get; } = name;
    public string FullName => $"{Module}.{Name}";
    public Func<PyTuple, object?>? Call { get; } = call;
    /// <summary>Set on the torch.*Storage markers.</summary>
    public DType? StorageDType { get; init; }
    /// <summary>A value the global stands for itself (torch.float16 is a dtype, not a function).</summary>
    public object? Constant { get; init; }
    /// <summary>Set on torch.nn.parameter.Parameter, for _rebuild_from_type_v2.</summary>
    public bool IsParameterType { get; init; }

    public override string ToString() => FullName;
}
