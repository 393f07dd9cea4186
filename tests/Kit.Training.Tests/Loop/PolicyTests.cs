using Kit.Training.Loop;

namespace Kit.Training.Tests.Loop;

public class PolicyTests
{
    [Fact]
    public void Non_finite_losses_are_skipped_then_rolled_back_after_several_in_a_row()
    {
        var policy = new NonFiniteLossPolicy(maxInARow: 3, learningRateFactor: 0.5);
        Assert.Equal(NonFiniteAction.Train, policy.Observe(1.0));
        Assert.Equal(NonFiniteAction.SkipStep, policy.Observe(double.NaN));
        Assert.Equal(NonFiniteAction.SkipStep, policy.Observe(double.PositiveInfinity));
        Assert.Equal(NonFiniteAction.Train, policy.Observe(0.9)); // a finite loss resets the run
        Assert.Equal(NonFiniteAction.SkipStep, policy.Observe(double.NaN));
        Assert.Equal(NonFiniteAction.SkipStep, policy.Observe(double.NaN));
        Assert.Equal(NonFiniteAction.RollBack, policy.Observe(double.NaN));
        Assert.Equal(5, policy.Total);
        Assert.Equal(0, policy.InARow);
    }

    [Fact]
    public void Early_stopping_waits_for_patience_validations_without_a_new_best()
    {
        var early = new EarlyStopping(patience: 2);
        Assert.True(early.Observe(1.0));
        Assert.True(early.Observe(0.8));
        Assert.False(early.Observe(0.9));
        Assert.False(early.ShouldStop);
        Assert.False(early.Observe(0.8));
        Assert.True(early.ShouldStop);
        Assert.Contains("not improved for 2 validations", early.StopReason);
    }
}
