using Kit.Training.Metrics;

namespace Kit.Training.Loop;

/// <summary>
/// The AWS guide's "watch the dev loss until it stops decreasing", done for the person, on the run's best
/// metric (the validation loss unless another is named): after <see cref="Patience"/> validations without a
/// new best (by at least <see cref="MinDelta"/>, in the metric's own direction), stop.
/// </summary>
public sealed class EarlyStopping(int patience, double minDelta = 0, BestMetric? metric = null)
{
    public int Patience { get; } = patience > 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), "patience must be at least 1 validation");
    public double MinDelta { get; } = minDelta;
    public BestMetric Metric { get; } = metric ?? BestMetric.ValidationLoss;
    /// <summary>The best value of <see cref="Metric"/> so far (as logged, not as a score).</summary>
    public double? Best { get; private set; }
    public int WithoutImprovement { get; private set; }

    /// <summary>Restores the counters from a checkpoint.</summary>
    public void Restore(double? best, int withoutImprovement)
    {
        Best = best;
        WithoutImprovement = withoutImprovement;
    }

    /// <summary>Records a validation value of <see cref="Metric"/>; returns true when it is a new best.</summary>
    public bool Observe(double value)
    {
        if (double.IsFinite(Metric.Score(value)) && (Best is not { } best || Metric.Score(value) < Metric.Score(best) - MinDelta))
        {
            Best = value;
            WithoutImprovement = 0;
            return true;
        }
        WithoutImprovement++;
        return false;
    }

    public bool ShouldStop => WithoutImprovement >= Patience;

    public string StopReason => Metric == BestMetric.ValidationLoss
        ? $"the validation loss has not improved for {WithoutImprovement} validations (best {Best:0.0000})"
        : $"{Metric.Name} has not improved for {WithoutImprovement} validations (best {Best:0.0000}, {Metric.Direction})";
}
