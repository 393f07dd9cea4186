namespace Kit.Models.Spectrogram;

/// <summary>
/// How diagonal an attention alignment is: the share of attention mass within 0.2 (of the line) of the
/// diagonal, the share of decoder steps whose most-attended token does not move backwards, the share of
/// tokens that no decoder step attends most (skipped), and the largest move of the most-attended token
/// between two steps, in tokens (either way).
/// </summary>
public sealed record AlignmentStats(double BandMass, double Monotonic, double SkippedTokens = 0, double MaxJump = 0)
{
    /// <param name="alignment">[decoder step, token] weights over a clip's real steps and tokens.</param>
    public static AlignmentStats Of(float[,] alignment)
    {
        int steps = alignment.GetLength(0), tokens = alignment.GetLength(1);
        double band = 0, total = 0;
        int forward = 0, previous = 0, jump = 0;
        var attended = new bool[tokens];
        for (var s = 0; s < steps; s++)
        {
            var best = 0;
            for (var n = 0; n < tokens; n++)
            {
                var w = alignment[s, n];
                total += w;
                if (Math.Abs((n + 0.5) / tokens - (s + 0.5) / steps) <= 0.2) band += w;
                if (w > alignment[s, best]) best = n;
            }
            if (best >= previous) forward++;
            if (s > 0) jump = Math.Max(jump, Math.Abs(best - previous));
            if (tokens > 0) attended[best] = true;
            previous = best;
        }
        return new AlignmentStats(total > 0 ? band / total : 0, steps > 0 ? (double)forward / steps : 0,
            tokens > 0 ? (double)attended.Count(a => !a) / tokens : 0, jump);
    }

    public static AlignmentStats Average(IEnumerable<float[,]> alignments)
    {
        var all = alignments.Select(Of).ToList();
        return new AlignmentStats(all.Average(a => a.BandMass), all.Average(a => a.Monotonic),
            all.Average(a => a.SkippedTokens), all.Average(a => a.MaxJump));
    }
}
