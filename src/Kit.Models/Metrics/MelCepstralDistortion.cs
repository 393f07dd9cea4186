using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Metrics;

/// <summary>
/// Mel-cepstral distortion with dynamic time warping (MCD-DTW, dB) between two log-mel spectrograms of the
/// same settings, the kit's measure of how far spoken audio is from a real clip:
/// <list type="bullet">
/// <item>cepstra: the DCT-II of each frame's natural-log mel spectrum L (the kit's log-mel features, M bins) at
/// the real cepstrum's scale, c_k = (1/M)·Σ_m L_m·cos(π·k·(m + ½)/M) (the orthonormal DCT-II divided by
/// sqrt(2M)), so values fall in the published MCD range of a few dB; coefficients k = 1..<see cref="Coefficients"/>
/// (c_0, the energy, is left out, so loudness alone does not count);</item>
/// <item>frame distance: d(i, j) = (10 / ln 10)·sqrt(2·Σ_k (c_ik − c'_jk)²);</item>
/// <item>DTW over the two sequences with steps (1,0), (0,1), (1,1), each pair costing d once:
/// D(i, j) = d(i, j) + min(D(i−1, j−1), D(i−1, j), D(i, j−1)), from (0, 0) to the last frames of both;</item>
/// <item>MCD = D(last, last) / L, the mean frame distance over the optimal path's L pairs (traced back,
/// preferring the diagonal, then (i−1, j), on ties).</item>
/// </list>
/// </summary>
public static class MelCepstralDistortion
{
    /// <summary>Cepstral coefficients compared, after c_0.</summary>
    public const int Coefficients = 13;

    private static readonly double DbScale = 10 / Math.Log(10);

    /// <summary>MCD-DTW in dB between two log-mel spectrograms (mels, frames), on any device.</summary>
    public static double Between(Tensor logMelA, Tensor logMelB)
    {
        if (logMelA.shape[0] != logMelB.shape[0])
            throw new ArgumentException($"the spectrograms have {logMelA.shape[0]} and {logMelB.shape[0]} mel bins");
        return Between(Frames(logMelA), Frames(logMelB));
    }

    /// <summary>MCD-DTW in dB between two log-mel spectrograms as [frame][mel].</summary>
    public static double Between(double[][] logMelA, double[][] logMelB)
    {
        if (logMelA.Length == 0 || logMelB.Length == 0) throw new ArgumentException("a spectrogram has no frames");
        var mels = logMelA[0].Length;
        var dct = DctRows(mels, Math.Min(Coefficients, mels - 1));
        var a = logMelA.Select(f => Cepstrum(f, dct)).ToArray();
        var b = logMelB.Select(f => Cepstrum(f, dct)).ToArray();
        return Dtw(a, b);
    }

    /// <summary>Rows k = 1..K of the DCT-II at the cepstrum's scale (1/M) for <paramref name="mels"/> inputs.</summary>
    private static double[][] DctRows(int mels, int k) =>
        Enumerable.Range(1, k).Select(row => Enumerable.Range(0, mels)
            .Select(m => Math.Cos(Math.PI * row * (m + 0.5) / mels) / mels).ToArray()).ToArray();

    private static double[] Cepstrum(double[] frame, double[][] dct)
    {
        var c = new double[dct.Length];
        for (var k = 0; k < dct.Length; k++)
        {
            double sum = 0;
            for (var m = 0; m < frame.Length; m++) sum += dct[k][m] * frame[m];
            c[k] = sum;
        }
        return c;
    }

    private static double Distance(double[] x, double[] y)
    {
        double sum = 0;
        for (var k = 0; k < x.Length; k++) sum += (x[k] - y[k]) * (x[k] - y[k]);
        return DbScale * Math.Sqrt(2 * sum);
    }

    private static double Dtw(double[][] a, double[][] b)
    {
        int n = a.Length, m = b.Length;
        var cost = new double[n, m];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < m; j++)
            {
                var best = i == 0 && j == 0 ? 0
                    : Math.Min(i > 0 && j > 0 ? cost[i - 1, j - 1] : double.PositiveInfinity,
                        Math.Min(i > 0 ? cost[i - 1, j] : double.PositiveInfinity, j > 0 ? cost[i, j - 1] : double.PositiveInfinity));
                cost[i, j] = Distance(a[i], b[j]) + best;
            }
        // The path's length, traced back with the tie order the definition names.
        int pi = n - 1, pj = m - 1, length = 1;
        while (pi > 0 || pj > 0)
        {
            var diagonal = pi > 0 && pj > 0 ? cost[pi - 1, pj - 1] : double.PositiveInfinity;
            var up = pi > 0 ? cost[pi - 1, pj] : double.PositiveInfinity;
            var left = pj > 0 ? cost[pi, pj - 1] : double.PositiveInfinity;
            if (diagonal <= up && diagonal <= left) { pi--; pj--; }
            else if (up <= left) pi--;
            else pj--;
            length++;
        }
        return cost[n - 1, m - 1] / length;
    }

    private static double[][] Frames(Tensor logMel)
    {
        using var t = logMel.detach().to(float64).cpu().t().contiguous();
        int frames = (int)t.shape[0], mels = (int)t.shape[1];
        var flat = t.data<double>().ToArray();
        return Enumerable.Range(0, frames).Select(f => flat.AsSpan(f * mels, mels).ToArray()).ToArray();
    }
}
