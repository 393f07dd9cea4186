using System.Text;

namespace Kit.Torch.Formats;

/// <summary>
/// The only globals a .pth pickle may name. Each maps to a C# function over the kit's object model (never
/// to Python code); any other name is refused by the unpickler before anything runs. This mirrors what
/// torch.load(weights_only=True) accepts, less what weights never need.
/// </summary>
internal static class TorchAllowList
{
    public static readonly IReadOnlyList<string> Names;

    private static readonly Dictionary<string, PyGlobal> Globals = Build();

    static TorchAllowList() => Names = Globals.Keys.Order(StringComparer.Ordinal).ToArray();

    public static PyGlobal? Resolve(string module, string name) =>
        Globals.TryGetValue($"{module}.{name}", out var g) ? g : null;

    private static Dictionary<string, PyGlobal> Build()
    {
        var list = new List<PyGlobal>
        {
            new("collections", "OrderedDict", OrderedDict),
            new("collections", "Counter", Counter),
            new("torch", "device", Device),
            new("torch._utils", "_rebuild_tensor", a => RebuildTensor(a, requiresGrad: false)),
            new("torch._utils", "_rebuild_tensor_v2", a => RebuildTensor(a, requiresGrad: a.Count > 4 && Arg<bool>(a, 4))),
            new("torch._utils", "_rebuild_parameter", RebuildParameter),
            new("torch._utils", "_rebuild_parameter_with_state", RebuildParameter),
            new("torch._tensor", "_rebuild_from_type_v2", RebuildFromType),
            new("torch", "Tensor"),
            new("torch.nn.parameter", "Parameter") { IsParameterType = true },
            // Python 3 pickles bytes at protocol 2 as _codecs.encode(latin-1 text, 'latin1').
            new("_codecs", "encode", a => Encoding.Latin1.GetBytes(Arg<string>(a, 0))),
        };
        foreach (var d in Enum.GetValues<DType>())
        {
            list.Add(new PyGlobal("torch", d.TorchStorageName()) { StorageDType = d });
            list.Add(new PyGlobal("torch", d.TorchName()) { Constant = d });
        }
        return list.ToDictionary(g => g.FullName, StringComparer.Ordinal);
    }

    private static PyDict OrderedDict(PyTuple args)
    {
        var d = new PyDict(isOrderedDict: true);
        if (args.Count > 0 && args[0] is PyList pairs)
            foreach (var p in pairs)
                if (p is PyTuple { Count: 2 } kv) d[kv[0]!] = kv[1];
                else throw new ArgumentException("OrderedDict items are not (key, value) pairs");
        return d;
    }

    // Counter(mapping): pickled as Counter.__reduce__ gives it, (Counter, (dict(self),)).
    private static PyDict Counter(PyTuple args)
    {
        var d = new PyDict(PyDictKind.Counter);
        if (args.Count > 0 && args[0] is PyDict items)
            foreach (var (k, v) in items) d[k] = v;
        return d;
    }

    // device('cuda', 0), device('cpu') or device('cuda:1')
    private static TorchDevice Device(PyTuple args) =>
        args.Count > 1 && args[1] is long index ? new TorchDevice(Arg<string>(args, 0), (int)index) : TorchDevice.Parse(Arg<string>(args, 0));

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    private static RawTensor RebuildTensor(PyTuple a, bool requiresGrad)
    {
        var storage = Arg<TorchStorage>(a, 0);
        var offset = Arg<long>(a, 1);
        var size = Longs(Arg<PyTuple>(a, 2));
        var stride = Longs(Arg<PyTuple>(a, 3));
        var bytes = StridedCopy.Contiguous(storage, offset, size, stride);
        return new RawTensor(storage.DType, size, bytes) { RequiresGrad = requiresGrad };
    }

    // _rebuild_parameter(data, requires_grad, backward_hooks[, state])
    private static RawTensor RebuildParameter(PyTuple a) =>
        Arg<RawTensor>(a, 0) with { IsParameter = true, RequiresGrad = Arg<bool>(a, 1) };

    // _rebuild_from_type_v2(func, new_type, args, state): a tensor subclass; only Tensor and Parameter are known.
    private static object? RebuildFromType(PyTuple a)
    {
        var func = Arg<PyGlobal>(a, 0);
        var type = Arg<PyGlobal>(a, 1);
        if (func.Call is null) throw new ArgumentException($"{func.FullName} is not callable");
        if (type.FullName != "torch.Tensor" && !type.IsParameterType)
            throw new ArgumentException($"tensor subclass {type.FullName} is not supported");
        var result = func.Call(Arg<PyTuple>(a, 2));
        return type.IsParameterType && result is RawTensor t ? t with { IsParameter = true } : result;
    }

    private static T Arg<T>(PyTuple args, int i) =>
        i < args.Count && args[i] is T t ? t
        : throw new ArgumentException(i < args.Count
            ? $"argument {i} is {PyRepr.TypeName(args[i])}, expected {typeof(T).Name}"
            : $"missing argument {i}");

    private static long[] Longs(PyTuple t) =>
        t.Select(x => x is long l ? l : throw new ArgumentException($"{PyRepr.TypeName(x)} in a size or stride")).ToArray();
}
