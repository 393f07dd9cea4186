namespace Kit.Training.Metrics;

/// <summary>
/// The validation metric the best checkpoint (best.json) and early stopping follow, e.g. <c>dev_free/mcd_db</c>
/// or <c>dev_epoch/loss</c> (run.yml's <c>best_metric</c>, else the recipe's own). Which way is better follows
/// the name: the free-running shares of good behaviour (<c>band_mass</c>, <c>monotonic</c>, <c>stop_fired</c>) are
/// higher-better, <c>length_ratio</c> is best at 1 (scored by |ln ratio|), every other metric (losses, MCD,
/// skipped tokens, jumps) is lower-better.
/// </summary>
public sealed record BestMetric
{
    private static readonly string[] HigherIsBetter =
        [FreeRunningMetrics.BandMass, FreeRunningMetrics.Monotonic, FreeRunningMetrics.StopFired];

    public BestMetric(string name)
    {
        if (Problem(name) is { } problem) throw new ArgumentException(problem);
        Name = name;
    }

    public string Name { get; }

    /// <summary>The teacher-forced validation loss: what best.json followed before it named a metric.</summary>
    public static BestMetric ValidationLoss { get; } = new(MetricNames.Validation(MetricNames.TotalLoss));

    /// <summary>How this metric's values compare: "lower is better", "higher is better" or "best at 1".</summary>
    public string Direction =>
        Short == FreeRunningMetrics.LengthRatio ? "best at 1"
        : IsFreeRunning && HigherIsBetter.Contains(Short) ? "higher is better" : "lower is better";

    /// <summary>The value as a score where lower is always better (NaN stays NaN: never a best).</summary>
    public double Score(double value) => Direction switch
    {
        "best at 1" => Math.Abs(Math.Log(value)),
        "higher is better" => -value,
        _ => value,
    };

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/> (a finite value beats none).</summary>
    public bool IsBetter(double candidate, double? incumbent) =>
        double.IsFinite(Score(candidate)) && (incumbent is not { } i || !double.IsFinite(Score(i)) || Score(candidate) < Score(i));

    private bool IsFreeRunning => Name.StartsWith(MetricNames.FreeRunningPrefix, StringComparison.Ordinal);
    private string Short => Name[(Name.IndexOf('/') + 1)..];

    /// <summary>
    /// Why a name cannot be a best metric, with the nearest known name; null when it can. Validation losses are
    /// the recipe's own terms (dev_epoch/ANY), checked against what validation reports at the first validation.
    /// </summary>
    public static string? Problem(string name)
    {
        if (name.StartsWith(MetricNames.ValidationPrefix, StringComparison.Ordinal) && name.Length > MetricNames.ValidationPrefix.Length) return null;
        var free = FreeRunningMetrics.All.Select(MetricNames.FreeRunning).ToArray();
        if (free.Contains(name, StringComparer.Ordinal)) return null;
        string[] known = [MetricNames.Validation(MetricNames.TotalLoss), .. free];
        var nearest = known.MinBy(k => Quickenshtein.Levenshtein.GetDistance(name.ToLowerInvariant(), k));
        return $"'{name}' is not a validation metric; did you mean '{nearest}'? (known: {string.Join(", ", known)}, or dev_epoch/ and a loss term of the recipe)";
    }
}
