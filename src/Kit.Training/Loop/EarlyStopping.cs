namespace Kit.Training.Loop;

/// <summary>
/// The AWS guide's "watch the dev loss until it stops decreasing", done for the person: after
/// <see cref="Patience"/> validations without a new best (by at least <see cref="MinDelta"/>), stop.
/// </summary>
public sealed class EarlyStopping(int patience, double minDelta = 0)
{
    public int Patience { get; } = patience > 0 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), "patience must be at least 1 validation");
    public double MinDelta { get; } = minDelta;
    public double? Best { get; private set; }
    public int WithoutImprovement { get; private set; }

    /// <summary>Restores the counters from a checkpoint.</summary>
    public void Restore(double? best, int withoutImprovement)
    {
        Best = best;
        WithoutImprovement = withoutImprovement;
    }

    /// <summary>Records a validation loss; returns true when it is a new best.</summary>
    public bool Observe(double loss)
    {
        if (double.IsFinite(loss) && (Best is null || loss < Best - MinDelta))
        {
            Best = loss;
            WithoutImprovement = 0;
            return true;
        }
        WithoutImprovement++;
        return false;
    }

    public bool ShouldStop => WithoutImprovement >= Patience;

    public string StopReason =>
        $"the validation loss has not improved for {WithoutImprovement} validations (best {Best:0.0000})";
}
