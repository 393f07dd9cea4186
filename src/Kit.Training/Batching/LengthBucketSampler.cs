namespace Kit.Training.Batching;

/// <summary>
/// Batches of clips of similar length, so padding stays small, in an order fixed by (seed, epoch):
/// shuffle every clip, cut the shuffle into buckets of several batches, sort each bucket by length, cut it
/// into batches, shuffle the batches. Every clip is in exactly one batch per epoch: the last batch may be
/// smaller, but no clip is dropped (DLAS's drop_last silently lost the remainder each epoch).
/// </summary>
public sealed class LengthBucketSampler
{
    private readonly double[] _lengths;

    public LengthBucketSampler(IReadOnlyList<double> lengths, int batchSize, long seed, int batchesPerBucket = 32)
    {
        if (lengths.Count == 0) throw new ArgumentException("there are no clips to batch", nameof(lengths));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "the batch size must be at least 1");
        if (batchesPerBucket < 1) throw new ArgumentOutOfRangeException(nameof(batchesPerBucket));
        _lengths = lengths.ToArray();
        // A batch bigger than the dataset would make DLAS train on nothing; here it is one batch of everything.
        BatchSize = Math.Min(batchSize, _lengths.Length);
        Seed = seed;
        BatchesPerBucket = batchesPerBucket;
    }

    public int BatchSize { get; }
    public long Seed { get; }
    public int BatchesPerBucket { get; }
    public int ClipCount => _lengths.Length;
    public int BatchesPerEpoch => (_lengths.Length + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch (clip indices), the same every time for the same seed and epoch.</summary>
    public IReadOnlyList<int[]> EpochBatches(int epoch)
    {
        var rng = SeededRandom.ForEpoch(Seed, epoch);
        var order = Enumerable.Range(0, _lengths.Length).ToArray();
        rng.Shuffle(order);
        var bucketSize = BatchSize * BatchesPerBucket;
        var batches = new List<int[]>(BatchesPerEpoch);
        for (var start = 0; start < order.Length; start += bucketSize)
        {
            var bucket = order.AsSpan(start, Math.Min(bucketSize, order.Length - start)).ToArray();
            // Stable sort by length; ties keep their shuffled order.
            var sorted = bucket.Select((clip, i) => (clip, i)).OrderBy(t => _lengths[t.clip]).ThenBy(t => t.i).Select(t => t.clip).ToArray();
            for (var b = 0; b < sorted.Length; b += BatchSize)
                batches.Add(sorted.AsSpan(b, Math.Min(BatchSize, sorted.Length - b)).ToArray());
        }
        rng.Shuffle(batches);
        return batches;
    }

    /// <summary>Batches from <paramref name="start"/> on, through as many epochs as the caller takes.</summary>
    public IEnumerable<(DataPosition Position, int[] Clips)> From(DataPosition start)
    {
        for (var epoch = start.Epoch; ; epoch++)
        {
            var batches = EpochBatches(epoch);
            for (var b = epoch == start.Epoch ? start.Batch : 0; b < batches.Count; b++)
                yield return (new DataPosition(epoch, b), batches[b]);
        }
    }

    /// <summary>The position after <paramref name="p"/>.</summary>
    public DataPosition Next(DataPosition p) =>
        p.Batch + 1 >= BatchesPerEpoch ? new DataPosition(p.Epoch + 1, 0) : p with { Batch = p.Batch + 1 };
}
