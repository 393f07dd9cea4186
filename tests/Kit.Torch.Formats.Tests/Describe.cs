using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Kit.Torch.Formats.Tests;

/// <summary>
/// The same canonical description of an object graph that python/common.py's describe() prints, so that a
/// file's contents as torch sees them and as the kit sees them compare as two JSON trees.
/// </summary>
internal static class Describe
{
    public static readonly Dictionary<DType, string> TorchNames = new()
    {
        [DType.Float32] = "float32", [DType.Float16] = "float16", [DType.BFloat16] = "bfloat16", [DType.Float64] = "float64",
        [DType.Int64] = "int64", [DType.Int32] = "int32", [DType.Int16] = "int16", [DType.Int8] = "int8",
        [DType.UInt8] = "uint8", [DType.Bool] = "bool",
    };

    public static JsonNode Of(object? o) => o switch
    {
        null => new JsonObject { ["k"] = "none" },
        bool b => new JsonObject { ["k"] = "bool", ["v"] = b },
        long l => new JsonObject { ["k"] = "int", ["v"] = l.ToString(CultureInfo.InvariantCulture) },
        BigInteger bi => new JsonObject { ["k"] = "int", ["v"] = bi.ToString(CultureInfo.InvariantCulture) },
        double d => new JsonObject { ["k"] = "float", ["v"] = Convert.ToHexStringLower(BitConverter.GetBytes(d)) },
        string s => new JsonObject { ["k"] = "str", ["v"] = s },
        byte[] bytes => new JsonObject { ["k"] = "bytes", ["v"] = Convert.ToHexStringLower(bytes) },
        RawTensor t => new JsonObject
        {
            ["k"] = "tensor", ["dtype"] = TorchNames[t.DType], ["shape"] = new JsonArray(t.Shape.Select(x => (JsonNode)x).ToArray()),
            ["sha"] = Convert.ToHexStringLower(SHA256.HashData(t.Data.Span)), ["grad"] = t.RequiresGrad, ["param"] = t.IsParameter,
        },
        DType dt => new JsonObject { ["k"] = "dtype", ["v"] = dt.TorchName() },
        TorchDevice dev => new JsonObject { ["k"] = "device", ["v"] = dev.ToString() },
        PyTuple t => new JsonObject { ["k"] = "tuple", ["v"] = new JsonArray(t.Select(Of).ToArray()) },
        PyList l => new JsonObject { ["k"] = "list", ["v"] = new JsonArray(l.Select(Of).ToArray()) },
        PyDict d => Dict(d),
        _ => throw new ArgumentException($"cannot describe {o.GetType().Name}"),
    };

    public static JsonNode OfStateDict(IEnumerable<KeyValuePair<string, RawTensor>> sd) => Of(PyDict.FromStateDict(sd));

    private static JsonObject Dict(PyDict d)
    {
        var r = new JsonObject
        {
            ["k"] = d.Kind switch { PyDictKind.OrderedDict => "odict", PyDictKind.Counter => "counter", _ => "dict" },
            ["v"] = new JsonArray(d.Select(kv => (JsonNode)new JsonArray(Of(kv.Key), Of(kv.Value))).ToArray()),
        };
        if (d.Attributes is { } a && a.TryGetValue("_metadata", out var meta)) r["meta"] = Of(meta);
        return r;
    }

    /// <summary>A dict description with its items sorted by key: safetensors keeps no order of its own (writers
    /// lay tensors out by alignment), so files are compared as maps.</summary>
    public static JsonNode SortedByKey(JsonNode dict)
    {
        var copy = dict.DeepClone();
        var items = copy["v"]!.AsArray().Select(i => i!.DeepClone()).OrderBy(i => i![0]!["v"]!.ToJsonString(), StringComparer.Ordinal).ToArray();
        copy["v"] = new JsonArray(items);
        return copy;
    }

    /// <summary>Asserts two descriptions are equal, naming the first place they differ.</summary>
    public static void Equal(JsonNode? expected, JsonNode? actual, string what)
    {
        var diff = FirstDifference(expected, actual, "");
        if (diff is not null) Assert.Fail($"{what}: differs at {diff}");
    }

    private static string? FirstDifference(JsonNode? e, JsonNode? a, string path)
    {
        if (e is JsonObject eo && a is JsonObject ao)
        {
            foreach (var (k, v) in eo)
            {
                if (!ao.ContainsKey(k)) return $"{path}.{k} (missing)";
                if (FirstDifference(v, ao[k], $"{path}.{k}") is { } d) return d;
            }
            return ao.Count != eo.Count ? $"{path} (extra keys {string.Join(",", ao.Select(p => p.Key).Except(eo.Select(p => p.Key)))})" : null;
        }
        if (e is JsonArray ea && a is JsonArray aa)
        {
            for (var i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                if (FirstDifference(ea[i], aa[i], $"{path}[{i}]") is { } d) return d;
            return ea.Count != aa.Count ? $"{path} (length {ea.Count} vs {aa.Count})" : null;
        }
        return JsonNode.DeepEquals(e, a) ? null : $"{path}: expected {e?.ToJsonString()}, got {a?.ToJsonString()}";
    }
}
