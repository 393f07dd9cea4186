using Kit.Training.Metrics;

namespace Kit.Training.Tests.Metrics;

public sealed class ProgressWindowTests
{
    [Fact]
    public void Speed_is_steps_over_the_wall_time_since_the_window_started_and_losses_average_over_the_window()
    {
        var now = 100.0;
        var window = new ProgressWindow(() => now);
        window.Add(new Dictionary<string, double> { ["loss"] = 1.0 }, samples: 4);
        now += 0.5; // the step's bookkeeping, a validation, a save: all of it is the run's time
        window.Add(new Dictionary<string, double> { ["loss"] = 3.0 }, samples: 4);
        now += 1.5;

        Assert.Equal(1.0, window.StepsPerSecond, 9);
        Assert.Equal(4.0, window.SamplesPerSecond, 9);
        Assert.Equal(2.0, window.Averages()["loss"], 9);

        window.Reset();
        Assert.Equal(0, window.Steps);
        Assert.Equal(0, window.StepsPerSecond);
        now += 10; // one step ten seconds after the reset
        window.Add(new Dictionary<string, double> { ["loss"] = 1.0 }, samples: 4);
        Assert.Equal(0.1, window.StepsPerSecond, 9);
    }
}
