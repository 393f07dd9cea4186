using System.Text.Json;
using Kit.TestSupport;
using Kit.Training.Config;
using Kit.Training.Loop;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using YamlDotNet.RepresentationModel;

namespace Kit.Training.Tests.Config;

/// <summary>
/// Issue 24, one vocabulary: the catalog is the one mapping of a run's settings. Each entry, changed on its own,
/// moves the DLAS config at the entry's key and the trainer's options where the entry says; so a setting added to
/// the catalog reaches both without a second table to edit.
/// </summary>
public class ParameterMappingTests
{
    private static TrainingParameters Base(TempDir dir) =>
        ParameterCalculator.Calculate(DatasetStats.Uniform(1_280, 128, folder: dir["ds"]), new CalculatorOptions
        {
            Profile = "kit", DetectGpu = false, GpuMemory = GpuMemory.Parse("24GB"),
        }).Values;

    /// <summary>Another valid value of the same kind.</summary>
    private static object Other(ParameterSpec spec, object value) => spec.Kind switch
    {
        ParameterKind.Count or ParameterKind.NonNegative or ParameterKind.Integer => (int)value + 1,
        ParameterKind.Rate => (double)value / 2,
        ParameterKind.Name => (string)value + "x",
        ParameterKind.Milestones => ((IReadOnlyList<int>)value) is { Count: > 0 } steps ? steps.Select(s => s + 1).ToArray() : new[] { 10, 20, 30, 40 },
        ParameterKind.Precision => (TrainingPrecision)value == TrainingPrecision.Fp32 ? TrainingPrecision.Half : TrainingPrecision.Fp32,
        _ => throw new InvalidOperationException(spec.Kind.ToString()),
    };

    private static TrainingParameters With(TrainingParameters p, ParameterSpec changed, object value) =>
        TrainingParametersMap.FromValues(ParameterCatalog.All.ToDictionary(s => s.Name, object? (s) => s == changed ? value : s.Get(p)), _ => "");

    private static string Options(TrainingParameters p, string dir) =>
        JsonSerializer.Serialize(TrainerOptions.FromConfig(Tests.Loop.TrainerFixture.Config(dir) with { Parameters = p }));

    public static TheoryData<string> Names() => [.. ParameterCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_setting_moves_the_DLAS_config_at_its_key_and_the_trainer_where_the_catalog_says(string name)
    {
        using var dir = new TempDir();
        var spec = ParameterCatalog.Find(name);
        var before = Base(dir);
        var value = Other(spec, spec.Get(before));
        var after = With(before, spec, value);

        // DLAS: the value sits at the entry's key, and the file reads back as the parameters written.
        string Dlas(TrainingParameters p, string file)
        {
            DlasTrainingYaml.Write(new DlasTrainingYaml.Inputs(p, "train.txt", "val.txt"), dir[file]);
            var yaml = new YamlStream();
            using (var text = File.OpenText(dir[file])) yaml.Load(text);
            var node = spec.Dlas.Path.Split('.').Aggregate(yaml.Documents[0].RootNode, (n, key) => ((YamlMappingNode)n)[key]);
            return node is YamlSequenceNode list ? string.Join(",", list.Children.Select(c => ((YamlScalarNode)c).Value)) : ((YamlScalarNode)node).Value!;
        }
        var was = Dlas(before, "before.yml");
        var now = Dlas(after, "after.yml");
        Assert.NotEqual(was, now);
        Assert.Equal(after, DlasTrainingYaml.Read(dir["after.yml"]).Parameters);

        // The trainer: the options change exactly when the entry maps the setting into them.
        var changed = Options(before, dir["run"]) != Options(after, dir["run"]);
        Assert.Equal(spec.Trainer is not null, changed);
    }

    /// <summary>The two settings the trainer's options leave alone reach the run another way: the name is the folder, the precision is the recipe's.</summary>
    [Fact]
    public void The_settings_without_a_trainer_option_are_the_run_s_name_and_its_precision()
    {
        Assert.Equal(["Fp16", "ExperimentName"], ParameterCatalog.All.Where(s => s.Trainer is null).Select(s => s.Name));
        using var dir = new TempDir();
        var config = Tests.Loop.TrainerFixture.Config(dir["run"]);
        var context = new RecipeContext
        {
            Config = config with { Parameters = config.Parameters with { Fp16 = TrainingPrecision.Bf16 } },
            Train = [], Validation = [], RunDirectory = dir["run"],
        };
        Assert.Equal(TrainingPrecision.Bf16, context.Precision);
    }

    [Fact]
    public void The_trainer_options_from_a_config_are_the_catalog_s_values()
    {
        using var dir = new TempDir();
        var config = Tests.Loop.TrainerFixture.Config(dir["run"]);
        var p = config.Parameters;
        var o = TrainerOptions.FromConfig(config);
        Assert.Equal((p.TrainBS, p.ValBS, p.TrainingRate, p.ValFreq, p.PrintFreq, p.SaveCheckpointFreq, p.MegaBatchFactor, (long)p.Seed, (long?)p.TotalSteps, p.WarmupSteps),
            (o.TrainBatchSize, o.ValidationBatchSize, o.LearningRate, o.ValidationFrequency, o.PrintFrequency, o.SaveFrequency, o.AccumulationSteps, o.Seed, o.MaxSteps, o.WarmupSteps));
        Assert.Equal(p.LRDecaySteps, o.DecaySteps);
        Assert.Equal(config.KeepLastCheckpoints, o.KeepLastCheckpoints);
        o.Validate();
    }
}
