namespace Kit.Training.Loop;

public enum NonFiniteAction { Train, SkipStep, RollBack }

/// <summary>
/// A NaN or infinite loss, or a finite one whose gradients are not (the trainable refused the update): skip that
/// step (no optimizer update), count it, and after
/// <see cref="MaxInARow"/> in a row roll back to the last checkpoint with the learning rate multiplied by
/// <see cref="LearningRateFactor"/>, since a run that keeps diverging will not recover by skipping alone.
/// </summary>
public sealed class NonFiniteLossPolicy(int maxInARow = 5, double learningRateFactor = 0.5)
{
    public int MaxInARow { get; } = maxInARow > 0 ? maxInARow : throw new ArgumentOutOfRangeException(nameof(maxInARow));
    public double LearningRateFactor { get; } = learningRateFactor is > 0 and < 1 ? learningRateFactor : throw new ArgumentOutOfRangeException(nameof(learningRateFactor), "the factor must lower the rate: between 0 and 1");
    public int InARow { get; private set; }
    public long Total { get; set; }

    public NonFiniteAction Observe(double loss)
    {
        if (double.IsFinite(loss))
        {
            InARow = 0;
            return NonFiniteAction.Train;
        }
        InARow++;
        Total++;
        if (InARow < MaxInARow) return NonFiniteAction.SkipStep;
        InARow = 0;
        return NonFiniteAction.RollBack;
    }
}
