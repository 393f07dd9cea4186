using System.Numerics;

namespace Kit.Torch.Formats;

/// <summary>Python's equality for dict keys: numbers by value across int/float/bool, tuples by contents.</summary>
internal sealed class PyValueComparer : IEqualityComparer<object>
{
    public static readonly PyValueComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null) return false;
        if (TryNumber(x, out var a) && TryNumber(y, out var b)) return a == b;
        return x.Equals(y);
    }

    public int GetHashCode(object obj) => TryNumber(obj, out var n) ? n.GetHashCode() : obj.GetHashCode();

    // Exact for every long; doubles compare as Python does only when integral, which is all dict keys need.
    private static bool TryNumber(object o, out BigInteger value)
    {
        switch (o)
        {
            case long l: value = l; return true;
            case bool b: value = b ? 1 : 0; return true;
            case BigInteger bi: value = bi; return true;
            case double d when Math.Floor(d) == d && !double.IsInfinity(d): value = new BigInteger(d); return true;
            default: value = default; return false;
        }
    }
}
