using Kit.TestSupport;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Config;

public class RunConfigFileTests
{
    private static ParameterSet Calc(DatasetStats stats, string profile = "kit", params string[] set) =>
        ParameterCalculator.Calculate(stats, new CalculatorOptions
        {
            Profile = profile, DetectGpu = false, GpuMemory = GpuMemory.Parse("16GB"), Overrides = ParameterOverrides.Parse(set),
        });

    [Theory]
    [InlineData("kit")]
    [InlineData("dlas")]
    public void Round_trips(string profile)
    {
        using var dir = new TempDir();
        var stats = DatasetStats.Uniform(300, 0, folder: dir["dataset"]);
        var set = Calc(stats, profile, "TrainingRate=2.5e-6", "ExperimentName=no", "Fp16=true");
        var config = RunConfig.From(set, dir["runs/no"]);
        var path = dir["runs/no/run.yml"];
        RunConfigFile.Write(config, path, set.Entries);
        var back = RunConfigFile.Read(path);
        Assert.Equal(config, back);
        Assert.Equal("no", back.Parameters.ExperimentName); // a YAML 1.1 boolean word stays a string
        Assert.Equal(2.5e-6, back.Parameters.TrainingRate);
        Assert.Equal(new[] { "TrainingRate", "Fp16", "ExperimentName" }.Order(), back.Overridden.Order());
        var text = File.ReadAllText(path);
        Assert.Contains("train_list: \"../../dataset/train.txt\"", text);           // relative to the file
        Assert.Contains("# " + set["PrintFreq"].Reason, text);                      // reasons as comments
        if (profile == "kit") Assert.Equal(set.Carve!.Val.Select(c => c.Id), back.CarvedValidation);
    }

    [Fact]
    public void A_hand_edited_value_is_read_and_checked()
    {
        using var dir = new TempDir();
        var set = Calc(DatasetStats.Uniform(300, 30, folder: dir["dataset"]));
        var path = dir["run.yml"];
        RunConfigFile.Write(RunConfig.From(set, dir["out"]), path);
        var lines = File.ReadAllLines(path);
        var decay = Array.FindIndex(lines, l => l.TrimStart().StartsWith("LRDecaySteps:"));
        lines[decay] = "  LRDecaySteps: [100, 50, 200, 300]";
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{decay + 1}:", e.Message); // file and 1-based line of the bad value
        Assert.Contains("ascending", e.Message);

        lines[decay] = "  LRDecaySteps: [10, 20, 30, 40]";
        File.WriteAllLines(path, lines);
        Assert.Equal([10, 20, 30, 40], RunConfigFile.Read(path).Parameters.LRDecaySteps);
    }

    [Fact]
    public void Broken_yaml_names_the_line()
    {
        using var dir = new TempDir();
        var path = dir["run.yml"];
        File.WriteAllText(path, "version: 1\nprofile: \"kit\"\nparameters: [unclosed\n");
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith(path + ":", e.Message);
    }

    [Fact]
    public void A_missing_key_is_named()
    {
        using var dir = new TempDir();
        var set = Calc(DatasetStats.Uniform(300, 30, folder: dir["dataset"]));
        var path = dir["run.yml"];
        RunConfigFile.Write(RunConfig.From(set, dir["out"]), path);
        File.WriteAllLines(path, File.ReadAllLines(path).Where(l => !l.TrimStart().StartsWith("ValFreq:")));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.Contains("missing parameter ValFreq", e.Message);
    }
}
