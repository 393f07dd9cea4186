using Kit.Torch.Formats;

namespace Kit.Torch;

public static partial class torch
{
    /// <summary>
    /// Writes named tensors as a file Python reads: <c>.safetensors</c> in the Hugging Face format, anything
    /// else (.pth, .pt, .bin, .ckpt) as torch.save writes a state dict, which
    /// <c>model.load_state_dict(torch.load(path))</c> takes.
    /// </summary>
    public static void save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path)
    {
        var raw = tensors.Select(e => new KeyValuePair<string, RawTensor>(e.Key, e.Value.ToRaw())).ToList();
        if (IsSafetensors(path)) Safetensors.Save(path, raw);
        else Pth.Save(path, raw);
    }

    /// <summary>
    /// Reads named tensors from a .safetensors file or a torch.save'd state dict (.pth and the like; for a
    /// training checkpoint, <paramref name="key"/> names the entry holding the state dict). The caller owns them.
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

    /// <summary>A tensor over a copy of a file record's bytes.</summary>
    public static Tensor FromRaw(RawTensor raw)
    {
        var t = from_bytes(raw.Data.Span, ToScalarType(raw.DType), raw.Shape);
        if (raw.RequiresGrad) t.requires_grad = true;
        return t;
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

    public partial class Tensor
    {
        /// <summary>The tensor as a file record: dtype, shape and contiguous CPU bytes (one bulk copy).</summary>
        public RawTensor ToRaw() => new(ToDType(dtype), shape, bytes());
    }

    public static partial class nn
    {
        public abstract partial class Module
        {
            /// <summary>Saves state_dict() as .safetensors or .pth (by extension), with PyTorch's names.</summary>
            public void save(string path) => torch.save(state_dict(), path);

            /// <summary>Loads weights saved by the kit or by PyTorch (torch.save(model.state_dict()) or safetensors).</summary>
            public Module load(string path, bool strict = true, string? key = null)
            {
                var tensors = torch.load(path, key);
                try { load_state_dict(tensors, strict); }
                finally { foreach (var t in tensors.Values) t.Dispose(); }
                return this;
            }
        }
    }
}
