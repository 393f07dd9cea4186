namespace Kit.Training.Parameters;

/// <summary>
/// The arithmetic of DLAS's <c>codes/scripts/param_calc.py</c> ("taken from the colab"), the cell of the
/// Colab fine-tuning guide that "calculates recommended training parameters based off of the dataset".
/// Each rule below says where it comes from; the kit profile reuses the frequency and decay rules.
/// </summary>
public static class DlasRules
{
    /// <summary>param_calc.py's default training batch size.</summary>
    public const int DefaultTrainBatch = 64;

    /// <summary>param_calc.py's default validation batch size.</summary>
    public const int DefaultValBatch = 16;

    /// <summary>The Colab notebook's validation batch default (it differs from param_calc.py's 16).</summary>
    public const int ColabValBatch = 32;

    /// <summary>param_calc.py's first learning-rate decay epoch F; the others are 2F, ⌊14F/5⌋, ⌊18F/5⌋.</summary>
    public const int FirstDecayEpoch = 20;

    /// <summary>Decay epochs [F, 2F, ⌊14F/5⌋, ⌊18F/5⌋] = [20, 40, 56, 72] (param_calc.py).</summary>
    public static IReadOnlyList<int> DecayEpochs { get; } =
        [FirstDecayEpoch, 2 * FirstDecayEpoch, 14 * FirstDecayEpoch / 5, 18 * FirstDecayEpoch / 5];

    /// <summary>param_calc.py warns below this many training clips ("very small dataset").</summary>
    public const int SmallTrainingSet = 128;

    /// <summary>param_calc.py warns below this many validation clips.</summary>
    public const int SmallValidationSet = 20;

    /// <summary>
    /// param_calc.py's batch size for n clips and a default batch bs: keep bs when the dataset splits
    /// evenly or is large against it (2·steps &gt; bs); when the remainder is under half a batch, grow the
    /// batch so the full batches absorb it (n // steps); otherwise shrink it to make one more batch
    /// (n // (steps + 1)). Partial batches are dropped by DLAS's loader (drop_last), so this is how it
    /// tries to lose few clips. The result can exceed bs (95 for n = 95, bs = 64).
    /// </summary>
    public static int Spillover(int n, int bs)
    {
        if (n < 1 || bs < 1) throw new ArgumentOutOfRangeException(nameof(n), "clip count and batch must be ≥ 1");
        var steps = n / bs;
        var rem = n % bs;
        if (2 * steps > bs || rem == 0) return bs;
        if (2 * rem < bs) return n / steps;
        return n / (steps + 1);
    }

    /// <summary>param_calc.py: the whole set as one batch when it is smaller than the default, else <see cref="Spillover"/>.</summary>
    public static int BatchSize(int n, int defaultBatch) => n < defaultBatch ? n : Spillover(n, defaultBatch);

    /// <summary>param_calc.py: PrintFreq = min(100, max(20, steps_per_epoch)).</summary>
    public static int PrintFreq(int stepsPerEpoch) => Math.Min(100, Math.Max(20, stepsPerEpoch));

    /// <summary>param_calc.py: ValFreq = SaveCheckpointFreq = 3 × PrintFreq.</summary>
    public static int ValFreq(int printFreq) => 3 * printFreq;

    /// <summary>param_calc.py: LRDecaySteps = steps_per_epoch × [20, 40, 56, 72].</summary>
    public static int[] LRDecaySteps(int stepsPerEpoch) => DecayEpochs.Select(e => checked(e * stepsPerEpoch)).ToArray();

    /// <summary>The Colab form's learning rate ("1e-5 has been good experimentally").</summary>
    public const double TrainingRate = 1e-5;

    /// <summary>EXAMPLE_gpt.yml: mega_batch_factor 4 (gradient accumulation).</summary>
    public const int MegaBatchFactor = 4;

    /// <summary>EXAMPLE_gpt.yml: niter 50000.</summary>
    public const int TotalSteps = 50000;
}
