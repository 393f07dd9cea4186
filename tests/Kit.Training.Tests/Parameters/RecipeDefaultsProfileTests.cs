using Kit.Data;
using Kit.Training.Parameters;
using Kit.Training.Recipes.Tiny;

namespace Kit.Training.Tests.Parameters;

/// <summary>The kit profile starting from a recipe's own defaults, and the value rules following that recipe.</summary>
public class RecipeDefaultsProfileTests
{
    /// <summary>A recipe trained from nothing on a CPU: no decay, its own rate range and length, a small model.</summary>
    private static readonly RecipeDefaults Scratch = TinyDurationRecipe.TrainingDefaults with
    {
        Recipe = "scratch",
        TrainingRate = new(2e-3, "a measured rate"),
        HighestRate = new(3e-3, "the highest measured"),
        Batch = new(16, "a measured batch"),
        TotalSteps = new(9_000, "an hour on two cores"),
        WeightDecay = new(1e-6, "as the paper"),
    };

    private static ParameterSet Calc(RecipeDefaults recipe, params string[] set) =>
        ParameterCalculator.Calculate(DatasetStats.Uniform(600, 60), new CalculatorOptions
        {
            Profile = "kit", DetectGpu = false, GpuMemory = GpuMemory.Parse("16GB"), Recipe = recipe, Overrides = ParameterOverrides.Parse(set),
        });

    [Fact]
    public void The_values_and_their_reasons_come_from_the_recipe()
    {
        var set = Calc(Scratch);
        Assert.Equal(2e-3, set.Values.TrainingRate);
        Assert.Equal(15, set.Values.TrainBS); // the largest divisor of the 600 clips within 3/4 of the recipe's 16
        Assert.Equal(9_000, set.Values.TotalSteps);
        Assert.Empty(set.Values.LRDecaySteps);
        Assert.Equal(0, set.Values.WarmupSteps);
        Assert.Equal((20, 20, 5), (set.Values.ValFreq, set.Values.SaveCheckpointFreq, set.Values.PrintFreq));
        Assert.StartsWith("scratch: a measured rate", set["TrainingRate"].Reason);
        Assert.Contains("scratch: an hour on two cores", set["TotalSteps"].Reason);
        Assert.Contains("at most scratch's batch 16", set["TrainBS"].Reason);
        Assert.DoesNotContain(set.Warnings, w => w.Rule.StartsWith("decay", StringComparison.Ordinal) || w.Rule is "high-rate" or "warmup-past-decay");
        var text = set.ToText();
        Assert.Contains("the recipe scratch also trains with", text);
        Assert.Contains("MaxGradNorm", text);
        Assert.Contains("scratch: as the paper", text);
    }

    [Fact]
    public void The_gpt_s_defaults_are_today_s_rules()
    {
        var set = Calc(RecipeDefaults.TortoiseGpt);
        var steps = set.StepsPerEpoch;
        Assert.Equal(1e-5, set.Values.TrainingRate);
        Assert.Equal(DlasRules.LRDecaySteps(steps), set.Values.LRDecaySteps);
        Assert.Equal(80 * steps, set.Values.TotalSteps);
        Assert.Equal(Math.Min(500, Math.Max(1, 20 * steps / 10)), set.Values.WarmupSteps);
        Assert.Equal(DlasRules.ValFreq(DlasRules.PrintFreq(steps)), set.Values.ValFreq);
    }

    [Theory]
    [InlineData("TrainingRate=2.5e-3", null)]
    [InlineData("TrainingRate=4e-3", "high-rate")]
    [InlineData("Fp16=true", "fp16-untested")]
    public void A_rule_holds_a_value_to_the_recipe_s_own_range(string assignment, string? rule)
    {
        var set = Calc(Scratch, assignment);
        if (rule is null) Assert.DoesNotContain(set.Warnings, w => w.FromOverride);
        else Assert.Contains("scratch", Assert.Single(set.WarningsFor(rule)).Message);
    }

    [Fact]
    public void Decays_set_by_hand_on_a_recipe_without_decay_are_still_checked()
    {
        var set = Calc(Scratch, "LRDecaySteps=[100, 200, 300, 10000]");
        Assert.True(Assert.Single(set.WarningsFor("decay-after-end")).FromOverride);
        Assert.Empty(set.WarningsFor("decay-late"));
    }

    [Fact]
    public void No_decay_is_written_and_read_back_as_an_empty_list()
    {
        var set = Calc(Scratch, "LRDecaySteps=[]");
        Assert.Empty(set.Values.LRDecaySteps);
        Assert.Throws<ParameterException>(() => Calc(Scratch, "LRDecaySteps=[100]"));
    }

    [Fact]
    public void Checkpoint_size_in_the_warning_is_the_recipe_s_own()
    {
        var gpt = Assert.Single(Calc(RecipeDefaults.TortoiseGpt, "SaveCheckpointFreq=1", "PrintFreq=2").WarningsFor("checkpoint-often"));
        Assert.Contains("tortoise-gpt checkpoint is about 1.6 GiB", gpt.Message);
        var small = Assert.Single(Calc(Scratch, "SaveCheckpointFreq=1", "PrintFreq=2").WarningsFor("checkpoint-often"));
        Assert.Contains("scratch checkpoint is about 24 B", small.Message);
    }
}
