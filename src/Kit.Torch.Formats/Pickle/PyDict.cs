using System.Collections;

namespace Kit.Torch.Formats;

/// <summary>Which Python mapping type a <see cref="PyDict"/> is read from and written back as.</summary>
public enum PyDictKind
{
    Dict,
    /// <summary>collections.OrderedDict, as nn.Module.state_dict() returns.</summary>
    OrderedDict,
    /// <summary>collections.Counter, as MultiStepLR keeps its milestones.</summary>
    Counter,
}

/// <summary>
/// A Python dict (or collections.OrderedDict / Counter) from a pickle: keys in insertion order, compared by Python
/// value (so 0 and 0L and equal tuples are one key). <see cref="Attributes"/> holds the instance state
/// pickle's BUILD gave it: a state dict keeps its <c>_metadata</c> there, which load_state_dict reads.
/// </summary>
public sealed class PyDict : IEnumerable<KeyValuePair<object, object?>>
{
    private readonly List<object> _order = [];
    private readonly Dictionary<object, object?> _map = new(PyValueComparer.Instance);

    public PyDict(bool isOrderedDict = false) => Kind = isOrderedDict ? PyDictKind.OrderedDict : PyDictKind.Dict;

    public PyDict(PyDictKind kind) => Kind = kind;

    public PyDictKind Kind { get; set; }

    /// <summary>Written back as collections.OrderedDict rather than dict.</summary>
    public bool IsOrderedDict => Kind == PyDictKind.OrderedDict;

    /// <summary>Instance attributes (e.g. <c>_metadata</c> on a state dict), or null.</summary>
    public PyDict? Attributes { get; set; }

    public int Count => _order.Count;
    public IEnumerable<object> Keys => _order;

    public object? this[object key]
    {
        get => _map.TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no key {PyRepr.Of(key)}");
        set
        {
            if (!_map.ContainsKey(key)) _order.Add(key);
            _map[key] = value;
        }
    }

    public bool ContainsKey(object key) => _map.ContainsKey(key);
    public bool TryGetValue(object key, out object? value) => _map.TryGetValue(key, out value);

    /// <summary>The value under <paramref name="key"/> as T, or a clear error saying what was there instead.</summary>
    public T Get<T>(object key) => this[key] is T t ? t
        : throw new InvalidCastException($"{PyRepr.Of(key)} holds {PyRepr.TypeName(this[key])}, not {typeof(T).Name}");

    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<object, object?>(k, _map[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A plain state dict: every key a string and every value a tensor.</summary>
    public StateDict ToStateDict()
    {
        var sd = new StateDict();
        foreach (var (k, v) in this)
        {
            if (k is not string name) throw new InvalidCastException($"state dict key {PyRepr.Of(k)} is not a string");
            if (v is not RawTensor t) throw new InvalidCastException($"state dict entry '{name}' holds {PyRepr.TypeName(v)}, not a tensor");
            sd.Add(name, t);
        }
        return sd;
    }

    /// <summary>An OrderedDict of the tensors, as nn.Module.state_dict() returns.</summary>
    public static PyDict FromStateDict(IEnumerable<KeyValuePair<string, RawTensor>> tensors)
    {
        var d = new PyDict(isOrderedDict: true);
        foreach (var (k, v) in tensors) d[k] = v;
        return d;
    }
}

/// <summary>A Python list.</summary>
public sealed class PyList : List<object?>
{
    public PyList() { }
    public PyList(IEnumerable<object?> items) : base(items) { }
}

/// <summary>A Python tuple: immutable, compared by value.</summary>
public sealed class PyTuple : IReadOnlyList<object?>, IEquatable<PyTuple>
{
    private readonly object?[] _items;

    public PyTuple(params object?[] items) => _items = items;

    public object? this[int index] => _items[index];
    public int Count => _items.Length;
    public IEnumerator<object?> GetEnumerator() => ((IEnumerable<object?>)_items).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(PyTuple? other) =>
        other is not null && other._items.Length == _items.Length
        && _items.Zip(other._items).All(p => PyValueComparer.Instance.Equals(p.First, p.Second));

    public override bool Equals(object? obj) => Equals(obj as PyTuple);

    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var i in _items) h.Add(i is null ? 0 : PyValueComparer.Instance.GetHashCode(i));
        return h.ToHashCode();
    }

    public override string ToString() => PyRepr.Of(this);
}
