namespace Kit.Torch.Formats;

/// <summary>The element types the kit moves in and out of PyTorch files.</summary>
public enum DType
{
    Float32,
    Float16,
    BFloat16,
    Float64,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
}

/// <summary>Sizes and the names each file format uses for a <see cref="DType"/>.</summary>
public static class DTypeInfo
{
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float64 or DType.Int64 => 8,
        DType.Float32 or DType.Int32 => 4,
        DType.Float16 or DType.BFloat16 or DType.Int16 => 2,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The dtype string in a safetensors header ("F32", "BF16", ...).</summary>
    public static string SafetensorsName(this DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Float64 => "F64",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool TryFromSafetensorsName(string name, out DType dtype) => TryFind(SafetensorsName, name, out dtype);

    /// <summary>The name of the dtype in torch ("float32", "bfloat16", ...), as torch.float32 pickles.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float16 => "float16",
        DType.BFloat16 => "bfloat16",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        DType.Int32 => "int32",
        DType.Int16 => "int16",
        DType.Int8 => "int8",
        DType.UInt8 => "uint8",
        DType.Bool => "bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The legacy typed-storage class torch.save pickles for this dtype ("FloatStorage", ...).</summary>
    public static string TorchStorageName(this DType dtype) => dtype switch
    {
        DType.Float32 => "FloatStorage",
        DType.Float16 => "HalfStorage",
        DType.BFloat16 => "BFloat16Storage",
        DType.Float64 => "DoubleStorage",
        DType.Int64 => "LongStorage",
        DType.Int32 => "IntStorage",
        DType.Int16 => "ShortStorage",
        DType.Int8 => "CharStorage",
        DType.UInt8 => "ByteStorage",
        DType.Bool => "BoolStorage",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static bool TryFromTorchStorageName(string name, out DType dtype) => TryFind(TorchStorageName, name, out dtype);

    /// <summary>The dtype whose name (by <paramref name="nameOf"/>) is <paramref name="name"/>.</summary>
    private static bool TryFind(Func<DType, string> nameOf, string name, out DType dtype)
    {
        foreach (var t in Enum.GetValues<DType>())
            if (nameOf(t) == name) { dtype = t; return true; }
        dtype = default;
        return false;
    }
}
