namespace Kit.Training.Batching;

/// <summary>
/// SplitMix64: a small generator whose whole state is one number, so the same seed gives the same data order
/// on every machine and .NET version, and an epoch's order can be rebuilt from (seed, epoch) alone.
/// </summary>
public sealed class SeededRandom(ulong state)
{
    private ulong _state = state;

    public static SeededRandom ForEpoch(long seed, int epoch) =>
        new(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xD1B54A32D192ED03UL));

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) without modulo bias.</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        var limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % (ulong)n);
    }

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
