using Kit.Training.Parameters;

namespace Kit.Training.Tests.Parameters;

public class DlasProfileTests
{
    private static readonly string[] ParamCalcWarnings = ["same-file", "small-train", "small-val", "train-below-batch"];

    private static ParameterSet Dlas(DatasetStats stats, int valDefault = DlasRules.DefaultValBatch, ParameterOverrides? overrides = null) =>
        ParameterCalculator.Calculate(stats, new CalculatorOptions
        {
            Profile = "dlas", DlasValBatch = valDefault, DetectGpu = false, Overrides = overrides ?? ParameterOverrides.None,
        });

    [Fact]
    public void Matches_the_reference_for_small_uneven_large_and_tiny_validation_sets()
    {
        // small, exact, spillover up (95 → 95), uneven (200), large (LJSpeech 13,100), tiny validation (5), Colab val default 32
        var cases = new (int Train, int Val, bool SameFile, int ValDefault)[]
        {
            (24, 3, false, 16), (64, 16, false, 16), (95, 30, false, 16), (100, 10, false, 16), (130, 50, false, 16),
            (200, 20, false, 16), (1_200, 120, false, 16), (1_000, 5, false, 16), (13_100, 500, false, 16),
            (13_100, 500, false, 32), (127, 19, false, 32), (129, 45, false, 32), (5_000, 5_000, true, 16), (1, 1, true, 16),
        };
        var expected = DlasReference.Calculate(cases);
        for (var i = 0; i < cases.Length; i++)
        {
            var (train, val, same, valDefault) = cases[i];
            var stats = same ? DatasetStats.Uniform(train, 0) with { ValListPath = Path.Combine("dataset", "train.txt") } : DatasetStats.Uniform(train, val);
            var set = Dlas(stats, valDefault);
            var e = expected[i];
            var at = $"case {cases[i]}";
            Assert.True(e.TrainBS == set.Values.TrainBS, $"{at}: TrainBS {set.Values.TrainBS}, reference {e.TrainBS}");
            Assert.True(e.ValBS == set.Values.ValBS, $"{at}: ValBS {set.Values.ValBS}, reference {e.ValBS}");
            Assert.True(e.LRDecaySteps.SequenceEqual(set.Values.LRDecaySteps), $"{at}: LRDecaySteps");
            Assert.Equal((e.PrintFreq, e.ValFreq, e.SaveCheckpointFreq, e.StepsPerEpoch),
                         (set.Values.PrintFreq, set.Values.ValFreq, set.Values.SaveCheckpointFreq, set.StepsPerEpoch));
            Assert.Equal(e.Warnings, set.Warnings.Select(w => w.Rule).Where(ParamCalcWarnings.Contains).ToArray());
        }
    }

    [Fact]
    public void Hand_derived_uneven_case()
    {
        // 200 clips, batch 64: divmod(200, 64) = (3, 8); 2·3 = 6 ≤ 64; 8 ≠ 0; 2·8 = 16 < 64 → 200 // 3 = 66.
        // steps/epoch = 200 // 66 = 3 (2 clips dropped); decay = 3 × [20, 40, 56, 72] = [60, 120, 168, 216];
        // PrintFreq = min(100, max(20, 3)) = 20; ValFreq = SaveCheckpointFreq = 60.
        // Validation 40 clips, batch 16: divmod(40, 16) = (2, 8); 2·8 = 16 is not < 16 → 40 // 3 = 13.
        var set = Dlas(DatasetStats.Uniform(200, 40));
        Assert.Equal(66, set.Values.TrainBS);
        Assert.Equal(13, set.Values.ValBS);
        Assert.Equal([60, 120, 168, 216], set.Values.LRDecaySteps);
        Assert.Equal((20, 60, 60), (set.Values.PrintFreq, set.Values.ValFreq, set.Values.SaveCheckpointFreq));
        Assert.Equal(2, set.ClipsLeftOutPerEpoch);
        var uneven = Assert.Single(set.WarningsFor("uneven-batch"));
        Assert.Contains("2 are left out", uneven.Message);
        Assert.False(uneven.FromOverride);
    }

    [Fact]
    public void Spillover_can_exceed_the_default_batch()
    {
        // 95 clips: divmod(95, 64) = (1, 31); 2 ≤ 64; 2·31 = 62 < 64 → 95 // 1 = 95, the documented worst case.
        Assert.Equal(95, DlasRules.Spillover(95, 64));
        Assert.Equal(64, DlasRules.Spillover(128, 64));
        // 4,200 clips: 65 steps, 2·65 > 64 → keeps 64 (40 dropped per epoch).
        Assert.Equal(64, DlasRules.Spillover(4_200, 64));
    }

    [Fact]
    public void Large_dataset_keeps_the_example_defaults_and_warns_about_nothing_from_param_calc()
    {
        // 13,100 clips: divmod = (204, 44); 2·204 > 64 → 64; 204 steps; PrintFreq = min(100, 204) = 100.
        var set = Dlas(DatasetStats.Uniform(13_100, 500));
        Assert.Equal((64, 100, 300), (set.Values.TrainBS, set.Values.PrintFreq, set.Values.ValFreq));
        Assert.Equal([4_080, 8_160, 11_424, 14_688], set.Values.LRDecaySteps);
        Assert.DoesNotContain(set.Warnings, w => ParamCalcWarnings.Contains(w.Rule));
        Assert.Equal(1e-5, set.Values.TrainingRate);
        Assert.Equal(Kit.Training.Recipes.TrainingPrecision.Fp32, set.Values.Fp16);
    }

    [Fact]
    public void Each_param_calc_warning_fires_only_where_it_should()
    {
        string[] Rules(DatasetStats s) => Dlas(s).Warnings.Select(w => w.Rule).Where(ParamCalcWarnings.Contains).ToArray();

        Assert.Empty(Rules(DatasetStats.Uniform(128, 20)));                       // on every threshold: silent
        Assert.Equal(["small-train"], Rules(DatasetStats.Uniform(127, 20)));
        Assert.Equal(["small-val"], Rules(DatasetStats.Uniform(128, 19)));
        Assert.Equal(["small-train", "train-below-batch"], Rules(DatasetStats.Uniform(63, 20)));
        Assert.Equal(["small-train"], Rules(DatasetStats.Uniform(64, 20)));
        Assert.Equal(["same-file"], Rules(DatasetStats.Uniform(500, 0) with { ValListPath = Path.Combine("dataset", ".", "train.txt") }));
        // No validation list at all: DLAS validates on train.txt, which is the same-file case.
        Assert.Equal(["same-file"], Rules(DatasetStats.Uniform(500, 0)));
    }

    [Fact]
    public void Only_usable_clips_count()
    {
        var stats = DatasetStats.Uniform(130, 30) with { UnusableTrain = 70 };
        // 130 usable: divmod(130, 64) = (2, 2) → 130 // 2 = 65; the 70 unusable lines play no part.
        Assert.Equal(65, Dlas(stats).Values.TrainBS);
    }

    [Fact]
    public void Colab_validation_default_is_exposed()
    {
        // 100 validation clips: with 16, divmod = (6, 4), 2·4 < 16 → 100 // 6 = 16; with 32, divmod = (3, 4) → 100 // 3 = 33.
        Assert.Equal(16, Dlas(DatasetStats.Uniform(1_000, 100)).Values.ValBS);
        Assert.Equal(33, Dlas(DatasetStats.Uniform(1_000, 100), DlasRules.ColabValBatch).Values.ValBS);
    }

    [Fact]
    public void Every_value_has_a_reason()
    {
        var set = Dlas(DatasetStats.Uniform(200, 40));
        Assert.Equal(ParameterCatalog.All.Select(s => s.Name), set.Entries.Select(e => e.Name));
        Assert.All(set.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Reason)));
        Assert.Contains("200 // 3 = 66", set["TrainBS"].Reason);
    }
}
