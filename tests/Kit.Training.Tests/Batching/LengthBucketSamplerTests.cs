using Kit.Training.Batching;

namespace Kit.Training.Tests.Batching;

public class LengthBucketSamplerTests
{
    private static double[] Lengths(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => 0.6 + r.NextDouble() * 11).ToArray();
    }

    [Theory]
    [InlineData(100, 7)]
    [InlineData(64, 64)]
    [InlineData(5, 64)]     // a batch bigger than the dataset: one batch of everything, not zero batches
    [InlineData(129, 16)]
    public void Every_clip_is_in_exactly_one_batch_per_epoch(int clips, int batchSize)
    {
        var sampler = new LengthBucketSampler(Lengths(clips, 1), batchSize, seed: 3, batchesPerBucket: 4);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var batches = sampler.EpochBatches(epoch);
            Assert.Equal(sampler.BatchesPerEpoch, batches.Count);
            Assert.Equal(Enumerable.Range(0, clips), batches.SelectMany(b => b).Order());
            Assert.All(batches, b => Assert.InRange(b.Length, 1, Math.Min(batchSize, clips)));
            Assert.True(batches.Count(b => b.Length < Math.Min(batchSize, clips)) <= 1, "at most one partial batch");
        }
    }

    [Fact]
    public void Bucketing_keeps_padding_far_below_random_batching()
    {
        var lengths = Lengths(2000, 2);
        var sampler = new LengthBucketSampler(lengths, 32, seed: 1);
        double Padding(IEnumerable<int[]> batches) => batches.Sum(b => b.Max(i => lengths[i]) * b.Length - b.Sum(i => lengths[i]));
        var bucketed = Padding(sampler.EpochBatches(0));
        var order = Enumerable.Range(0, lengths.Length).ToArray();
        new Random(5).Shuffle(order);
        var random = Padding(order.Chunk(32));
        Assert.True(bucketed < random / 5, $"bucketed padding {bucketed:0} s vs random {random:0} s");
    }

    [Fact]
    public void Same_seed_same_order_different_epoch_or_seed_different_order()
    {
        var lengths = Lengths(300, 3);
        var a = new LengthBucketSampler(lengths, 10, seed: 42, batchesPerBucket: 3);
        var b = new LengthBucketSampler(lengths, 10, seed: 42, batchesPerBucket: 3);
        var c = new LengthBucketSampler(lengths, 10, seed: 43, batchesPerBucket: 3);
        Assert.Equal(a.EpochBatches(2), b.EpochBatches(2));
        Assert.NotEqual(a.EpochBatches(2), a.EpochBatches(3));
        Assert.NotEqual(a.EpochBatches(2), c.EpochBatches(2));
    }

    [Fact]
    public void Resuming_from_a_position_continues_the_same_sequence()
    {
        var sampler = new LengthBucketSampler(Lengths(50, 4), 8, seed: 9);
        var straight = sampler.From(new DataPosition(0, 0)).Take(20).ToList();
        var resumeAt = straight[11].Position;
        Assert.Equal(1, resumeAt.Epoch); // 7 batches per epoch: position 11 is in the second epoch
        var resumed = new LengthBucketSampler(Lengths(50, 4), 8, seed: 9).From(resumeAt).Take(9).ToList();
        Assert.Equal(straight.Skip(11).Select(x => x.Clips), resumed.Select(x => x.Clips));
        Assert.Equal(straight[12].Position, sampler.Next(resumeAt));
    }
}
