namespace Kit.Data.Checks;

/// <summary>Counts in equal-width bins starting at <see cref="Start"/>.</summary>
public sealed record HistogramBins(double Start, double Width, int[] Counts)
{
    public double End => Start + Width * Counts.Length;
}

/// <summary>Summary statistics of one quantity over the dataset's clips (durations, speaking rates).</summary>
public sealed record Distribution(
    int Count, double Min, double Max, double Mean, double Median, double P5, double P95, double StdDev,
    HistogramBins Histogram)
{
    public static Distribution Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, new HistogramBins(0, 1, []));

    /// <summary>Statistics and a histogram with round bin widths (1, 2, 2.5 or 5 × 10^k; at most ~30 bins).</summary>
    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0) return Empty;
        double mean = sorted.Average();
        double variance = sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length;
        return new Distribution(sorted.Length, sorted[0], sorted[^1], mean, Quantile(sorted, 0.5),
            Quantile(sorted, 0.05), Quantile(sorted, 0.95), Math.Sqrt(variance), Bin(sorted));
    }

    /// <summary>Linear-interpolated quantile of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static HistogramBins Bin(double[] sorted)
    {
        double span = Math.Max(sorted[^1] - sorted[0], 1e-9);
        double raw = span / 30;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double width = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(w => w >= raw);
        double start = Math.Floor(sorted[0] / width) * width;
        int bins = Math.Max(1, (int)Math.Floor((sorted[^1] - start) / width) + 1);
        var counts = new int[bins];
        foreach (var v in sorted) counts[Math.Min(bins - 1, (int)((v - start) / width))]++;
        return new HistogramBins(start, width, counts);
    }
}
