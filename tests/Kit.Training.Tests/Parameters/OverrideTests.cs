using Kit.Data;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Parameters;

public class OverrideTests
{
    private static ParameterSet Calc(string profile, DatasetStats stats, params string[] set) =>
        ParameterCalculator.Calculate(stats, new CalculatorOptions
        {
            Profile = profile, DetectGpu = false, GpuMemory = GpuMemory.Parse("16GB"), Overrides = ParameterOverrides.Parse(set),
        });

    [Fact]
    public void A_batch_override_is_honoured_and_moves_what_derives_from_it()
    {
        // 1,200 clips at TrainBS 32: 37 steps per epoch (1,200 // 32, 16 clips dropped); decay 37 × [20, 40, 56, 72].
        var set = Calc("dlas", DatasetStats.Uniform(1_200, 120), "TrainBS=32");
        Assert.Equal(32, set.Values.TrainBS);
        Assert.True(set.IsOverridden("TrainBS"));
        Assert.False(set.IsOverridden("LRDecaySteps"));
        Assert.Equal([740, 1_480, 2_072, 2_664], set.Values.LRDecaySteps);
        Assert.Equal((37, 111), (set.Values.PrintFreq, set.Values.ValFreq));
        // The rule: divmod(1,200, 64) = (18, 48); 2·18 = 36 ≤ 64; 2·48 = 96 ≥ 64 → 1,200 // 19 = 63.
        Assert.Contains("the rule gives 63", set["TrainBS"].Reason);
    }

    [Fact]
    public void Overrides_of_every_kind_are_parsed()
    {
        var set = Calc("kit", DatasetStats.Uniform(500, 50),
            "LRDecaySteps=[100, 200, 300, 400]", "TrainingRate=2e-5", "Fp16=true", "Experiment_Name=my-voice",
            "gradientaccumulation=2", "Seed=7", "WarmupSteps=", "print_freq=10");
        Assert.Equal([100, 200, 300, 400], set.Values.LRDecaySteps);
        Assert.Equal(2e-5, set.Values.TrainingRate);
        Assert.Equal(Kit.Training.Recipes.TrainingPrecision.Half, set.Values.Fp16);
        Assert.Equal("my-voice", set.Values.ExperimentName);
        Assert.Equal(2, set.Values.MegaBatchFactor);
        Assert.Equal(7, set.Values.Seed);
        Assert.Equal(10, set.Values.PrintFreq);
        Assert.False(set.IsOverridden("WarmupSteps")); // blank keeps the calculated value, as in the Colab form
        Assert.Equal(new[] { "PrintFreq", "LRDecaySteps", "TrainingRate", "Fp16", "ExperimentName", "MegaBatchFactor", "Seed" }.Order(),
                     set.Entries.Where(e => e.Overridden).Select(e => e.Name).Order());
    }

    [Fact]
    public void The_api_takes_a_dictionary_of_typed_values()
    {
        var overrides = ParameterOverrides.From(new Dictionary<string, object?>
        {
            ["TrainBS"] = 25, ["LRDecaySteps"] = new[] { 10, 20, 30, 40 }, ["Fp16"] = false, ["ValBS"] = null,
        });
        var set = ParameterCalculator.Calculate(DatasetStats.Uniform(100, 20), new CalculatorOptions { Profile = "dlas", Overrides = overrides });
        Assert.Equal(25, set.Values.TrainBS);
        Assert.Equal([10, 20, 30, 40], set.Values.LRDecaySteps);
        Assert.False(set.IsOverridden("ValBS"));
    }

    [Theory]
    [InlineData("LRDecaySteps=100,200,300", "exactly 4")]
    [InlineData("LRDecaySteps=[100, 300, 200, 400]", "ascending")]
    [InlineData("LRDecaySteps=[0, 1, 2, 3]", "ascending")]
    [InlineData("TrainBS=0", "≥ 1")]
    [InlineData("TrainBS=big", "whole number")]
    [InlineData("TrainBS=2.5", "whole number")]
    [InlineData("TrainingRate=0", "between 0 and 1")]
    [InlineData("TrainingRate=fast", "number")]
    [InlineData("Fp16=maybe", "true or false")]
    [InlineData("ExperimentName=../escape", "folder name")]
    [InlineData("WarmupSteps=-1", "≥ 0")]
    [InlineData("BatchSize=3", "unknown parameter")]
    [InlineData("TrainRate=1e-5", "unknown parameter 'TrainRate'; did you mean 'TrainingRate'?")]
    [InlineData("precision=bf16", "unknown parameter 'precision'; it is now the parameter Fp16 (precision: false (fp32), true")]
    [InlineData("TrainBS", "Name=value")]
    [InlineData("TrainBS=300", "more than the 200 usable training clips")]
    public void Bad_overrides_are_refused_with_a_reason(string assignment, string expected)
    {
        var e = Assert.Throws<ParameterException>(() => Calc("dlas", DatasetStats.Uniform(200, 20), assignment));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_same_parameter_twice_is_refused()
    {
        var e = Assert.Throws<ParameterException>(() => ParameterOverrides.Parse(["TrainBS=8", "train_batch_size=16"]));
        Assert.Contains("set twice", e.Message);
    }

    [Theory]
    [InlineData("dlas", "TrainBS=50", "uneven-batch")]          // 1,280 % 50 = 30 clips dropped each epoch
    [InlineData("dlas", "ValBS=200", "val-batch-over-val")]
    [InlineData("kit", "TrainBS=64;MegaBatchFactor=1", "memory")] // 64 long clips in one pass exceed 16 GB
    [InlineData("dlas", "LRDecaySteps=[1000, 2000, 3000, 4000]", "decay-late")]
    [InlineData("dlas", "TotalSteps=1000", "decay-after-end")]
    [InlineData("kit", "WarmupSteps=5000", "warmup-past-decay")]
    [InlineData("dlas", "SaveCheckpointFreq=10", "checkpoint-often")]
    [InlineData("dlas", "ValFreq=60000", "never-validated")]
    [InlineData("dlas", "SaveCheckpointFreq=60000", "never-saved")]
    [InlineData("kit", "TrainingRate=1e-3", "high-rate")]
    [InlineData("kit", "Fp16=true", "fp16-untested")]
    [InlineData("dlas", "TrainBS=2", "micro-batch-empty")]
    public void An_override_that_breaks_a_rule_is_named_in_a_warning(string profile, string assignments, string rule)
    {
        // 1,280 clips (64 divides them, so DLAS drops none) of 11 s with 180-character texts: long enough for the memory rule to matter.
        var stats = DatasetStats.Uniform(1_280, 100, seconds: 11, textLength: 180);
        var baseline = Calc(profile, stats);
        Assert.Empty(baseline.WarningsFor(rule));
        var set = Calc(profile, stats, assignments.Split(';'));
        var warning = Assert.Single(set.WarningsFor(rule));
        Assert.True(warning.FromOverride, warning.Message);
        Assert.Contains("rule:", warning.Message);
        Assert.Contains("set by you", warning.Message);
    }
}

public class HealthyDatasetTests
{
    [Theory]
    [InlineData("dlas")]
    [InlineData("kit")]
    public void A_healthy_dataset_gets_no_warning_at_all(string profile)
    {
        // 1,280 training clips (64 divides them) and 128 validation clips (16 divides them), 6.5 s each, 16 GB.
        var set = ParameterCalculator.Calculate(DatasetStats.Uniform(1_280, 128), new CalculatorOptions
        {
            Profile = profile, DetectGpu = false, GpuMemory = GpuMemory.Parse("16GB"),
        });
        Assert.Empty(set.Warnings);
        Assert.Equal(0, set.ClipsLeftOutPerEpoch);
        Assert.Equal(20, set.StepsPerEpoch);
    }
}
