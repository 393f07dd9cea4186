using Kit.Training.Loop;

namespace Kit.Training.Tests.Loop;

public class LearningRateScheduleTests
{
    private static TrainerOptions Options(int warmup) => new()
    {
        TrainBatchSize = 8, ValidationBatchSize = 4, LearningRate = 1e-3, DecaySteps = [100, 200, 280, 360],
        DecayGamma = 0.5, WarmupSteps = warmup, ValidationFrequency = 10, PrintFrequency = 10, SaveFrequency = 10,
    };

    [Fact]
    public void Multi_step_decay_halves_at_each_listed_step()
    {
        var o = Options(warmup: 0);
        Assert.Equal(1e-3, o.LearningRateAt(0));
        Assert.Equal(1e-3, o.LearningRateAt(99));
        Assert.Equal(5e-4, o.LearningRateAt(100));
        Assert.Equal(2.5e-4, o.LearningRateAt(200));
        Assert.Equal(6.25e-5, o.LearningRateAt(360));
        Assert.Equal(6.25e-5, o.LearningRateAt(100_000));
    }

    [Fact]
    public void Warmup_rises_linearly_to_the_rate()
    {
        var o = Options(warmup: 10);
        Assert.Equal(1e-4, o.LearningRateAt(0), 1e-15);
        Assert.Equal(5e-4, o.LearningRateAt(4), 1e-15);
        Assert.Equal(1e-3, o.LearningRateAt(9), 1e-15);
        Assert.Equal(1e-3, o.LearningRateAt(10), 1e-15);
    }

    [Fact]
    public void Impossible_settings_are_refused_with_their_names()
    {
        var e = Assert.Throws<ArgumentException>(() => (Options(0) with { SaveFrequency = 0 }).Validate());
        Assert.Contains("SaveCheckpointFreq", e.Message);
    }
}
