using System.Collections;

namespace Kit.Torch.Formats;

/// <summary>Named tensors in insertion order, as a PyTorch state dict or a safetensors file holds them.</summary>
public sealed class StateDict : IReadOnlyDictionary<string, RawTensor>
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, RawTensor> _map = new(StringComparer.Ordinal);

    public StateDict() { }

    public StateDict(IEnumerable<KeyValuePair<string, RawTensor>> items)
    {
        foreach (var (k, v) in items) Add(k, v);
    }

    public void Add(string name, RawTensor tensor)
    {
        if (!_map.TryAdd(name, tensor)) throw new ArgumentException($"duplicate tensor name '{name}'");
        _order.Add(name);
    }

    public RawTensor this[string key] => _map.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"no tensor named '{key}'");
    public IEnumerable<string> Keys => _order;
    public IEnumerable<RawTensor> Values => _order.Select(k => _map[k]);
    public int Count => _order.Count;
    public bool ContainsKey(string key) => _map.ContainsKey(key);
    public bool TryGetValue(string key, out RawTensor value) => _map.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, RawTensor>> GetEnumerator() =>
        _order.Select(k => new KeyValuePair<string, RawTensor>(k, _map[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
