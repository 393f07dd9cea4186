using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Metrics;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>
/// Trainer runs on the tensor engine, one at a time: each seeds libtorch's generator, which is global to the
/// process, so two runs on parallel test threads would draw each other's numbers and no run would repeat.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchTrainerRuns
{
    public const string Name = "torch trainer runs";
}

/// <summary>
/// The run's precision: chosen once from the run config and the device, applied by every tensor-engine
/// recipe (autocast around the forward, loss scaling for fp16), recorded in checkpoints and metrics.
/// </summary>
[Collection(TorchTrainerRuns.Name)]
public class PrecisionTests
{
    private static MetricRecord[] Records(string runDir, string kind) =>
        MetricsLog.Read(Path.Combine(runDir, MetricsLog.FileName)).Where(r => r.Kind == kind).ToArray();

    [Fact]
    public void Bf16_on_the_cpu_lowers_the_loss_records_its_precision_and_resumes_exactly()
    {
        using var straight = new TempDir();
        using var split = new TempDir();
        RunConfig Bf16(string dir) => TrainerFixture.Config(dir, lr: 0.01).WithFp16(TrainingPrecision.Bf16);
        var options = TrainerOptions.FromConfig(Bf16(straight.Path)) with { MaxSteps = 30, MaxGradNorm = 4 };
        var log = new List<string>();
        Trainer.Run(Bf16(straight.Path), new TinyDurationTorchRecipe(), options: options, log: log.Add);
        Assert.Contains(log, l => l.StartsWith("Precision: bf16", StringComparison.Ordinal));

        var val = Records(straight.Path, "validation").Select(r => r.Values["dev_epoch/loss"]).ToArray();
        Assert.True(val[^1] < val[0] * 0.7, $"validation loss went {val[0]} → {val[^1]}");
        Assert.Equal("bf16", new CheckpointStore(straight.Path).FindNewestReadable()!.Progress.Precision);
        Assert.True(Records(straight.Path, "precision").Single().Values.ContainsKey("bf16"));
        Assert.Equal(TrainingPrecision.Bf16, Trainer.ReadRunConfig(straight.Path).Parameters.Fp16);

        Trainer.Run(Bf16(split.Path), new TinyDurationTorchRecipe(), options: options with { MaxSteps = 14 });
        Trainer.Run(Trainer.ReadRunConfig(split.Path), new TinyDurationTorchRecipe(), runDirectory: split.Path, options: options, resume: true);
        var a = Records(straight.Path, "train").Select(r => r.Values["train/loss"]).ToArray();
        var b = Records(split.Path, "train").Select(r => r.Values["train/loss"]).ToArray();
        Assert.Equal(30, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-6);
        Assert.Equal(2, Records(split.Path, "precision").Length);
    }

    [Fact]
    public void Bf16_autocast_changes_the_numbers_so_it_really_ran()
    {
        using var fp32 = new TempDir();
        using var bf16 = new TempDir();
        var config = TrainerFixture.Config(fp32.Path, lr: 0.01);
        var options = TrainerOptions.FromConfig(config) with { MaxSteps = 3 };
        Trainer.Run(config, new TinyDurationTorchRecipe(), options: options);
        Trainer.Run(TrainerFixture.Config(bf16.Path, lr: 0.01).WithFp16(TrainingPrecision.Bf16), new TinyDurationTorchRecipe(), options: options);
        var a = Records(fp32.Path, "train")[0].Values["train/loss"];
        var b = Records(bf16.Path, "train")[0].Values["train/loss"];
        Assert.NotEqual(a, b);
        Assert.Equal(a, b, a * 0.05); // bf16 rounding, not a different model
    }

    [Fact]
    public void Fp16_on_the_cpu_is_refused_with_a_clear_message()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path).WithFp16(TrainingPrecision.Fp16);
        var e = Assert.Throws<ArgumentException>(() =>
            Trainer.Run(config, new TinyDurationTorchRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 }));
        Assert.Contains("fp16 needs a CUDA GPU", e.Message);
        Assert.Contains("bf16 or fp32", e.Message);
    }

    [Fact]
    public void Fp16_parameter_on_the_cpu_trains_in_fp32_and_says_so()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path);
        config = config.WithFp16(TrainingPrecision.Half);
        var log = new List<string>();
        Trainer.Run(config, new TinyDurationTorchRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 }, log: log.Add);
        Assert.Single(log, l => l.StartsWith("Precision: fp32 (Fp16 asks for half precision, but this is a CPU", StringComparison.Ordinal));
        Assert.Equal("fp32", new CheckpointStore(dir.Path).FindNewestReadable()!.Progress.Precision);
    }

    [Theory]
    // Fp16, cuda, bf16 supported → resolved
    [InlineData(TrainingPrecision.Fp32, false, false, TrainingPrecision.Fp32)]
    [InlineData(TrainingPrecision.Fp32, true, true, TrainingPrecision.Fp32)]
    [InlineData(TrainingPrecision.Half, false, false, TrainingPrecision.Fp32)]
    [InlineData(TrainingPrecision.Half, true, true, TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Half, true, false, TrainingPrecision.Fp16)]
    [InlineData(TrainingPrecision.Bf16, false, false, TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Bf16, true, true, TrainingPrecision.Bf16)]
    [InlineData(TrainingPrecision.Fp16, true, true, TrainingPrecision.Fp16)]
    public void Resolves_from_the_setting_and_the_device(TrainingPrecision asked, bool cuda, bool bf16, TrainingPrecision expected)
    {
        var p = Precisions.Resolve(asked, cuda, bf16);
        Assert.Equal(expected, p.Mode);
        Assert.Equal(expected == TrainingPrecision.Fp16, p.UsesGradScaler);
        Assert.False(string.IsNullOrWhiteSpace(p.Reason));
    }

    [Fact]
    public void Bf16_on_a_gpu_without_it_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => Precisions.Resolve(TrainingPrecision.Bf16, cuda: true, bf16Supported: false));
        Assert.Contains("use fp16 or true", e.Message);
    }

    [Fact]
    public void The_run_config_file_keeps_the_setting_as_the_parameter_Fp16_and_names_a_bad_value()
    {
        using var dir = new TempDir();
        var path = dir["run.yml"];
        RunConfigFile.Write(TrainerFixture.Config(dir["out"]).WithFp16(TrainingPrecision.Bf16), path);
        Assert.Equal(TrainingPrecision.Bf16, RunConfigFile.Read(path).Parameters.Fp16);
        var lines = File.ReadAllLines(path);
        Assert.DoesNotContain(lines, l => l.StartsWith("precision:", StringComparison.Ordinal)); // one setting, one place
        Assert.Contains(lines, l => l.Trim() == "Fp16: \"bf16\"");

        var at = Array.FindIndex(lines, l => l.Trim().StartsWith("Fp16:", StringComparison.Ordinal));
        File.WriteAllLines(path, lines.Select((l, i) => i == at ? "  Fp16: fp8" : l));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{at + 1}: Fp16 = 'fp8'", e.Message);
        Assert.Contains("true or false", e.Message);
        Assert.Contains("bf16 or fp16", e.Message);
    }

    /// <summary>Older kits wrote a second key, precision:, beside Fp16; their run folders resume in the precision they trained in.</summary>
    [Theory]
    // precision:, Fp16: → the one setting, as run.yml writes it
    [InlineData("auto", "false", TrainingPrecision.Fp32, "false")]
    [InlineData("auto", "true", TrainingPrecision.Half, "true")]
    [InlineData("fp32", "true", TrainingPrecision.Fp32, "false")]
    [InlineData("bf16", "false", TrainingPrecision.Bf16, "bf16")]
    [InlineData("fp16", "false", TrainingPrecision.Fp16, "fp16")]
    public void An_older_precision_key_is_read_into_Fp16_and_the_run_says_so(string precision, string fp16, TrainingPrecision expected, string written)
    {
        using var dir = new TempDir();
        var path = dir["config.yaml"];
        RunConfigFile.Write(TrainerFixture.Config(dir["out"]), path);
        var lines = File.ReadAllLines(path).Select(l => l.Trim().StartsWith("Fp16:", StringComparison.Ordinal) ? $"  Fp16: {fp16}" : l).ToList();
        var at = lines.FindIndex(l => l.StartsWith("keep_last_checkpoints:", StringComparison.Ordinal));
        lines.Insert(at, $"precision: {precision}");
        File.WriteAllLines(path, lines);

        var read = RunConfigFile.Read(path);
        Assert.Equal(expected, read.Parameters.Fp16);
        var note = Assert.Single(read.Source!.Notes);
        Assert.Equal($"{path}:{at + 1}: precision: {precision} is an older kit's key, read as the parameter Fp16: " +
                     $"{written} (the one precision setting now; `kit params` writes only Fp16)", note);

        File.WriteAllLines(path, lines.Select(l => l.StartsWith("precision:", StringComparison.Ordinal) ? "precision: fp8" : l));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{at + 1}:", e.Message);
        Assert.Contains("precision 'fp8'", e.Message);
        Assert.Contains("the parameter Fp16", e.Message);
    }

    [Fact]
    public void The_older_precision_key_is_logged_when_the_run_starts()
    {
        using var dir = new TempDir();
        var path = dir["old.yml"];
        RunConfigFile.Write(TrainerFixture.Config(dir["run"]), path);
        File.AppendAllText(path, "precision: bf16\n");
        var log = new List<string>();
        var config = RunConfigFile.Read(path);
        Trainer.Run(config, new TinyDurationTorchRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 }, log: log.Add);
        Assert.Contains(log, l => l.StartsWith($"{path}:", StringComparison.Ordinal) && l.Contains("precision: bf16 is an older kit's key, read as the parameter Fp16: bf16"));
        Assert.Contains(log, l => l.StartsWith("Precision: bf16 (Fp16: bf16 in the run config", StringComparison.Ordinal));
    }
}

internal static class PrecisionConfigs
{
    public static RunConfig WithFp16(this RunConfig config, TrainingPrecision precision) =>
        config with { Parameters = config.Parameters with { Fp16 = precision } };
}
