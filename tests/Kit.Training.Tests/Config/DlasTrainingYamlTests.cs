using System.Text.Json;
using Kit.TestSupport;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Config;

public class DlasTrainingYamlTests
{
    private static ParameterSet Calc(DatasetStats stats, string profile, params string[] set) =>
        ParameterCalculator.Calculate(stats, new CalculatorOptions
        {
            Profile = profile, DetectGpu = false, GpuMemory = GpuMemory.Parse("24GB"), Overrides = ParameterOverrides.Parse(set),
        });

    [Theory]
    [InlineData("dlas", new string[0])]
    [InlineData("kit", new[] { "TrainBS=64", "ExperimentName=on", "TrainingRate=3e-5" })]
    public void Round_trips_through_the_kits_reader(string profile, string[] set)
    {
        using var dir = new TempDir();
        var p = Calc(DatasetStats.Uniform(1_280, 128, folder: dir["ds"]), profile, set).Values;
        var inputs = new DlasTrainingYaml.Inputs(p, dir["ds/train.txt"], dir["ds/val.txt"]);
        DlasTrainingYaml.Write(inputs, dir["dlas-gpt.yml"]);
        Assert.Equal(inputs, DlasTrainingYaml.Read(dir["dlas-gpt.yml"]));
    }

    /// <summary>DLAS reads its config with PyYAML (YAML 1.1): check the types it will see, with the real parser.</summary>
    [Fact]
    public void PyYaml_reads_the_values_with_the_types_DLAS_expects()
    {
        using var dir = new TempDir();
        // A batch of exactly 64 (the value the Colab's sed clobbered), a name PyYAML would read as a boolean, warmup on.
        var p = Calc(DatasetStats.Uniform(1_280, 128, folder: dir["ds"]), "kit", "TrainBS=64", "ExperimentName=yes").Values;
        DlasTrainingYaml.Write(new DlasTrainingYaml.Inputs(p, dir["ds/train.txt"], dir["ds/val.txt"]), dir["dlas-gpt.yml"]);
        const string script = """
import json, sys, yaml
with open(sys.argv[1]) as f:
    o = yaml.safe_load(f)
t = o["train"]
print(json.dumps({
  "name": [o["name"], type(o["name"]).__name__],
  "lr": [o["steps"]["gpt_train"]["optimizer_params"]["lr"], type(o["steps"]["gpt_train"]["optimizer_params"]["lr"]).__name__],
  "train_bs": o["datasets"]["train"]["batch_size"], "val_bs": o["datasets"]["val"]["batch_size"],
  "train_path": o["datasets"]["train"]["path"], "fetcher": o["datasets"]["train"]["fetcher_mode"],
  "gen_lr_steps": t["gen_lr_steps"], "val_freq": t["val_freq"], "warmup": t["warmup_iter"],
  "mega": t["mega_batch_factor"], "niter": t["niter"], "seed": t["manual_seed"],
  "print_freq": o["logger"]["print_freq"], "save": o["logger"]["save_checkpoint_freq"],
  "disable_state_saving": o["logger"]["disable_state_saving"], "fp16": o["fp16"], "gpu_ids": o["gpu_ids"],
  "which": o["networks"]["gpt"]["which_model_G"], "layers": o["networks"]["gpt"]["kwargs"]["layers"],
}))
""";
        var o = JsonDocument.Parse(ReferencePython.Run(script, dir["dlas-gpt.yml"])).RootElement;
        Assert.Equal("yes", o.GetProperty("name")[0].GetString());
        Assert.Equal("str", o.GetProperty("name")[1].GetString());
        Assert.Equal("float", o.GetProperty("lr")[1].GetString());
        Assert.Equal(p.TrainingRate, o.GetProperty("lr")[0].GetDouble());
        Assert.Equal(64, o.GetProperty("train_bs").GetInt32());
        Assert.Equal(p.ValBS, o.GetProperty("val_bs").GetInt32());
        Assert.Equal(dir["ds/train.txt"], o.GetProperty("train_path").GetString());
        Assert.Equal(["lj"], o.GetProperty("fetcher").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(p.LRDecaySteps, o.GetProperty("gen_lr_steps").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal((p.ValFreq, p.WarmupSteps, p.MegaBatchFactor, p.TotalSteps, p.Seed),
            (o.GetProperty("val_freq").GetInt32(), o.GetProperty("warmup").GetInt32(), o.GetProperty("mega").GetInt32(),
             o.GetProperty("niter").GetInt32(), o.GetProperty("seed").GetInt32()));
        Assert.Equal((p.PrintFreq, p.SaveCheckpointFreq), (o.GetProperty("print_freq").GetInt32(), o.GetProperty("save").GetInt32()));
        Assert.False(o.GetProperty("disable_state_saving").GetBoolean());
        Assert.False(o.GetProperty("fp16").GetBoolean());
        Assert.Equal([0], o.GetProperty("gpu_ids").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal("unified_voice2", o.GetProperty("which").GetString());
        Assert.Equal(30, o.GetProperty("layers").GetInt32());
    }

    [Fact]
    public void No_warmup_is_written_as_DLAS_writes_it()
    {
        using var dir = new TempDir();
        var p = Calc(DatasetStats.Uniform(1_280, 128, folder: dir["ds"]), "dlas").Values;
        Assert.Equal(0, p.WarmupSteps);
        DlasTrainingYaml.Write(new DlasTrainingYaml.Inputs(p, "train.txt", "val.txt"), dir["x.yml"]);
        Assert.Contains("warmup_iter: -1", File.ReadAllText(dir["x.yml"]));
    }

    [Theory]
    [InlineData(1e-5, "1.0e-05")]
    [InlineData(2.5e-6, "2.5e-06")]
    [InlineData(0.5, "0.5")]
    [InlineData(4, "4.0")]
    public void Floats_keep_a_decimal_point(double value, string text) => Assert.Equal(text, YamlWriter.FormatFloat(value));
}
