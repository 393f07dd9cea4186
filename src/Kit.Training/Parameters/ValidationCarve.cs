namespace Kit.Training.Parameters;

/// <summary>
/// A validation set taken out of the training clips when the dataset has none (or names the training list
/// as its validation list): 10 % of the clips, at least 1 and at most 100, chosen by a seeded shuffle of the
/// clips sorted by id, so the same dataset and seed always give the same split, whatever the list order.
/// </summary>
public sealed record ValidationCarve(IReadOnlyList<ClipStats> Train, IReadOnlyList<ClipStats> Val, int Seed)
{
    public const double Fraction = 0.10;
    public const int MaxClips = 100;

    public static int CountFor(int clips) =>
        clips < 2 ? 0 : Math.Clamp((int)Math.Round(clips * Fraction, MidpointRounding.AwayFromZero), 1, MaxClips);

    public static ValidationCarve From(IReadOnlyList<ClipStats> clips, int seed)
    {
        var ordered = clips.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        var rng = new SplitMix64((ulong)(uint)seed);
        // Fisher–Yates with the kit's own generator: System.Random's sequence is not a documented contract.
        for (var i = ordered.Length - 1; i > 0; i--)
        {
            var j = (int)(rng.Next() % (ulong)(i + 1));
            (ordered[i], ordered[j]) = (ordered[j], ordered[i]);
        }
        var count = CountFor(ordered.Length);
        var val = ordered.Take(count).ToHashSet<object>(ReferenceEqualityComparer.Instance);
        // Training keeps the list's own order; only membership comes from the shuffle.
        return new ValidationCarve(clips.Where(c => !val.Contains(c)).ToArray(),
                                   ordered.Take(count).OrderBy(c => c.Id, StringComparer.Ordinal).ToArray(), seed);
    }

    private struct SplitMix64(ulong state)
    {
        public ulong Next()
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
