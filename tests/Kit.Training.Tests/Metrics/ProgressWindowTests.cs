using Kit.Training.Metrics;

namespace Kit.Training.Tests.Metrics;

public sealed class ProgressWindowTests
{
    [Fact]
    public void Speed_counts_each_steps_bookkeeping_and_losses_average_over_the_window()
    {
        var window = new ProgressWindow();
        window.Add(new Dictionary<string, double> { ["loss"] = 1.0 }, samples: 4, seconds: 0.5);
        window.AddSeconds(0.5);
        window.Add(new Dictionary<string, double> { ["loss"] = 3.0 }, samples: 4, seconds: 0.5);
        window.AddSeconds(0.5);

        Assert.Equal(1.0, window.StepsPerSecond, 9);
        Assert.Equal(4.0, window.SamplesPerSecond, 9);
        Assert.Equal(2.0, window.Averages()["loss"], 9);

        window.Reset();
        Assert.Equal(0, window.Steps);
        Assert.Equal(0, window.StepsPerSecond);
    }
}
