using System.Globalization;
using System.Text;

namespace Kit.Torch.Formats;

/// <summary>Python-like text for values in error messages and notebook displays.</summary>
public static class PyRepr
{
    public static string TypeName(object? value) => value switch
    {
        null => "None",
        PyDict d => d.Kind switch { PyDictKind.OrderedDict => "OrderedDict", PyDictKind.Counter => "Counter", _ => "dict" },
        TorchDevice => "torch.device",
        DType => "torch.dtype",
        PyList => "list",
        PyTuple => "tuple",
        RawTensor => "tensor",
        string => "str",
        long or System.Numerics.BigInteger => "int",
        double => "float",
        bool => "bool",
        byte[] => "bytes",
        _ => value.GetType().Name,
    };

    public static string Of(object? value, int depth = 2)
    {
        var sb = new StringBuilder();
        Append(sb, value, depth);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, object? v, int depth)
    {
        switch (v)
        {
            case null: sb.Append("None"); break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case string s: sb.Append('\'').Append(s.Replace("'", "\\'")).Append('\''); break;
            case DType dt: sb.Append("torch.").Append(dt.TorchName()); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case IFormattable f: sb.Append(f.ToString(null, CultureInfo.InvariantCulture)); break;
            case byte[] bytes: sb.Append("b<").Append(bytes.Length).Append(" bytes>"); break;
            case TorchDevice dev: sb.Append("device('").Append(dev).Append("')"); break;
            case RawTensor t: sb.Append("tensor(").Append(t.DType).Append(", [").Append(string.Join(", ", t.Shape)).Append("])"); break;
            case PyDict d when depth <= 0: sb.Append("{...").Append(d.Count).Append(" items}"); break;
            case PyDict d:
                sb.Append('{');
                var first = true;
                foreach (var (k, x) in d)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Append(sb, k, depth - 1);
                    sb.Append(": ");
                    Append(sb, x, depth - 1);
                }
                sb.Append('}');
                break;
            case PyTuple t: AppendItems(sb, t, "(", t.Count == 1 ? ",)" : ")", depth); break;
            case PyList l: AppendItems(sb, l, "[", "]", depth); break;
            default: sb.Append(v); break;
        }
    }

    private static void AppendItems(StringBuilder sb, IEnumerable<object?> items, string open, string close, int depth)
    {
        sb.Append(open);
        if (depth <= 0) sb.Append("...");
        else sb.AppendJoin(", ", items.Select(i => Of(i, depth - 1)));
        sb.Append(close);
    }
}
