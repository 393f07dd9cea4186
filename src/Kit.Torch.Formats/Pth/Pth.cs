namespace Kit.Torch.Formats;

/// <summary>
/// PyTorch .pth / .pt files as torch.save writes them (a zip of a protocol-2 pickle and raw storages).
/// Loading never runs code: the pickle may only name the globals in <see cref="AllowedGlobals"/>.
/// </summary>
public static class Pth
{
    /// <summary>The globals a .pth pickle may use; anything else is refused with <see cref="UnsafePickleException"/>.</summary>
    public static IReadOnlyList<string> AllowedGlobals => TorchAllowList.Names;

    /// <summary>The whole object a file holds: a state dict, or a checkpoint of nested dicts, lists, numbers,
    /// strings and tensors (<see cref="PyDict"/>, <see cref="PyList"/>, <see cref="PyTuple"/>, long, double,
    /// string, bool, null, byte[], <see cref="RawTensor"/>). Tensors come back contiguous.</summary>
    public static object? Load(string path) => PthReader.Load(path);

    /// <summary>A state dict: the file's top-level mapping of names to tensors, or the one under
    /// <paramref name="key"/> (e.g. "model" or "state_dict" in a training checkpoint).</summary>
    public static StateDict LoadStateDict(string path, string? key = null)
    {
        var obj = Load(path);
        if (key is not null)
            obj = obj is PyDict d && d.TryGetValue(key, out var inner) ? inner
                : throw new TorchFormatException(path, $"no '{key}' entry at the top level (it holds {PyRepr.Of(obj, 1)})");
        if (obj is not PyDict dict)
            throw new TorchFormatException(path, $"holds a {PyRepr.TypeName(obj)}, not a state dict");
        try { return dict.ToStateDict(); }
        catch (InvalidCastException e)
        {
            throw new TorchFormatException(path, $"{e.Message}; pass the key of the state dict inside this checkpoint (top-level keys: {string.Join(", ", dict.Keys.Select(k => PyRepr.Of(k)))})");
        }
    }

    /// <summary>Writes any object of the kit's Python object model, as torch.save would.</summary>
    public static void Save(string path, object? obj) => PthWriter.Save(path, obj);

    /// <summary>Writes tensors as an OrderedDict state dict, which <c>model.load_state_dict(torch.load(path))</c> takes.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, RawTensor>> stateDict) =>
        PthWriter.Save(path, PyDict.FromStateDict(stateDict));
}
