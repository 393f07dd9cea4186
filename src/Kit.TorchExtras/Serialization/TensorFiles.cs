using Kit.Torch.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras;

/// <summary>
/// PyTorch's files for TorchSharp tensors: <c>.pth</c> (torch.save's zip of a pickle) and <c>.safetensors</c>
/// (by extension), through Kit.Torch.Formats' reader and writer: an allow-listed unpickler (a file from
/// the internet cannot run code), bare tensors, strided and shared storages, pickled nn.Parameter, and a
/// safetensors header padded to 8 bytes. TorchSharp's own <c>torch.save/load</c> and <c>Module.save/load</c>
/// write its own format, which PyTorch cannot read: the kit does not use them.
/// </summary>
public static class TensorFiles
{
    /// <summary>Writes named tensors (a state dict) as .pth or .safetensors, in the given order.</summary>
    public static void save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path)
    {
        var raw = tensors.Select(e => new KeyValuePair<string, RawTensor>(e.Key, ToRaw(e.Value))).ToList();
        if (IsSafetensors(path)) Safetensors.Save(path, raw);
        else Pth.Save(path, raw);
    }

    /// <summary>
    /// Reads a state dict (or the dict under <paramref name="key"/>; a bare tensor comes back under "") as new
    /// CPU tensors outside any dispose scope: the caller disposes them.
    /// </summary>
    public static Dictionary<string, Tensor> load(string path, string? key = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no tensor file at {path}", path);
        StateDict raw = IsSafetensors(path) ? Safetensors.Load(path) : Pth.LoadStateDict(path, key);
        var result = new Dictionary<string, Tensor>();
        foreach (var (name, t) in raw) result[name] = FromRaw(t).DetachFromDisposeScope();
        return result;
    }

    private static bool IsSafetensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new CPU tensor holding a copy of the raw bytes.</summary>
    public static Tensor FromRaw(RawTensor raw)
    {
        var dtype = ToScalarType(raw.DType);
        var t = empty(raw.Shape, dtype);
        if (raw.Data.Length > 0) raw.Data.Span.CopyTo(t.bytes);
        if (raw.RequiresGrad) t.requires_grad_(true);
        return t;
    }

    /// <summary>The tensor's values as raw bytes (copied from the device, made contiguous).</summary>
    public static RawTensor ToRaw(Tensor t)
    {
        using var scope = NewDisposeScope();
        var dtype = ToDType(t.dtype);
        var c = t.detach().cpu().contiguous();
        var bytes = c.numel() == 0 ? [] : c.bytes.ToArray();
        return new RawTensor(dtype, t.shape, bytes);
    }

    public static ScalarType ToScalarType(DType d) => d switch
    {
        DType.Float32 => ScalarType.Float32,
        DType.Float16 => ScalarType.Float16,
        DType.BFloat16 => ScalarType.BFloat16,
        DType.Float64 => ScalarType.Float64,
        DType.Int64 => ScalarType.Int64,
        DType.Int32 => ScalarType.Int32,
        DType.Int16 => ScalarType.Int16,
        DType.Int8 => ScalarType.Int8,
        DType.UInt8 => ScalarType.Byte,
        DType.Bool => ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(d), d, null),
    };

    public static DType ToDType(ScalarType s) => s switch
    {
        ScalarType.Float32 => DType.Float32,
        ScalarType.Float16 => DType.Float16,
        ScalarType.BFloat16 => DType.BFloat16,
        ScalarType.Float64 => DType.Float64,
        ScalarType.Int64 => DType.Int64,
        ScalarType.Int32 => DType.Int32,
        ScalarType.Int16 => DType.Int16,
        ScalarType.Int8 => DType.Int8,
        ScalarType.Byte => DType.UInt8,
        ScalarType.Bool => DType.Bool,
        _ => throw new ArgumentException($"{s} tensors cannot be written to safetensors or .pth by the kit"),
    };

    /// <summary>Writes the module's state dict in PyTorch's format (its parameter and buffer names, in its order).</summary>
    public static void save_weights(this nn.Module module, string path) => save(module.ordered_state_dict(), path);

    /// <summary>
    /// The state dict in PyTorch's order: each module's own parameters, then its persistent buffers, then each
    /// child's entries, depth first. TorchSharp's state_dict() lists every parameter of the whole tree before
    /// any buffer, so a file written from it has the names of PyTorch's but not its order.
    /// </summary>
    public static Dictionary<string, Tensor> ordered_state_dict(this nn.Module module)
    {
        var d = new Dictionary<string, Tensor>();
        Collect(module, "", d);
        return d;
    }

    private static void Collect(nn.Module m, string prefix, Dictionary<string, Tensor> into)
    {
        foreach (var (n, p) in m.named_parameters(recurse: false)) into.TryAdd(prefix + n, p);
        foreach (var (n, b) in m.named_buffers(recurse: false, include_nonpersistent: false)) into.TryAdd(prefix + n, b);
        foreach (var (n, child) in m.named_children()) Collect(child, prefix + n + ".", into);
    }

    /// <summary>Loads a PyTorch state dict file into the module by name (strict: every name must match).</summary>
    public static nn.Module load_weights(this nn.Module module, string path, bool strict = true, string? key = null)
    {
        var tensors = load(path, key);
        try { module.load_state_dict_checked(tensors, strict); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
        return module;
    }

    /// <summary>
    /// load_state_dict with PyTorch's checks and a message that names them: with strict, a missing or
    /// unexpected name is an error listing them all (otherwise they are returned); a shape mismatch is always
    /// an error (TorchSharp's own load_state_dict names nothing and lets copy_ broadcast).
    /// </summary>
    public static (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict_checked(this nn.Module module,
        IReadOnlyDictionary<string, Tensor> source, bool strict = true)
    {
        var own = module.state_dict();
        var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = own.Where(e => source.TryGetValue(e.Key, out var s) && !s.shape.SequenceEqual(e.Value.shape))
            .Select(e => $"{e.Key}: checkpoint [{string.Join(", ", source[e.Key].shape)}], model [{string.Join(", ", e.Value.shape)}]").ToList();
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add("missing: " + string.Join(", ", missing));
            if (unexpected.Count > 0) parts.Add("unexpected: " + string.Join(", ", unexpected));
            if (mismatched.Count > 0) parts.Add("shape mismatch: " + string.Join("; ", mismatched));
            throw new InvalidOperationException($"load_state_dict into {module.GetType().Name}: " + string.Join(" | ", parts));
        }
        using (no_grad())
        using (NewDisposeScope())
        {
            foreach (var (k, t) in own)
                if (source.TryGetValue(k, out var s)) t.copy_(s);
        }
        return (missing, unexpected);
    }
}
