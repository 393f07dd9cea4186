using System.Text.RegularExpressions;
using Kit.Training.Config;
using Kit.Training.Tests.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Faults;

/// <summary>Issue 13, fault 5: no setting in a run config is dropped in silence, wherever it sits.</summary>
public sealed class RunConfigValidationTests
{
    private static string Written(TempDir dir, Func<string, string> edit)
    {
        var path = Path.Combine(dir.Path, "run.yml");
        RunConfigFile.Write(TrainerFixture.Config(dir["run"]), path);
        File.WriteAllText(path, edit(File.ReadAllText(path)));
        return path;
    }

    private static int LineOf(string path, string text) => File.ReadAllLines(path).ToList().FindIndex(l => l.Contains(text)) + 1;

    [Theory]
    [InlineData("keep_last_checkpoints: ", "keep_last_checkpoint: ", "unknown setting 'keep_last_checkpoint'; did you mean 'keep_last_checkpoints'?")]
    [InlineData("  train_list: ", "  trainlist: ", "unknown setting 'trainlist' under 'dataset'; did you mean 'train_list'?")]
    [InlineData("  recipe: ", "  recipie: ", "unknown setting 'recipie' under 'model'; did you mean 'recipe'?")]
    [InlineData("  Fp16: ", "  precision: ", "unknown parameter 'precision'; it is now the parameter Fp16")]
    [InlineData("  SaveCheckpointFreq: ", "  SaveCheckpointFrq: ", "unknown parameter 'SaveCheckpointFrq'; did you mean 'SaveCheckpointFreq'?")]
    public void An_unknown_key_anywhere_names_its_line_and_the_nearest_known_key(string from, string to, string expected)
    {
        using var dir = new TempDir();
        var path = Written(dir, t => t.Replace(from, to));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{LineOf(path, to.Trim())}: {expected}", e.Message);
    }

    [Fact]
    public void A_new_top_level_key_is_refused_too_and_keep_last_must_be_positive()
    {
        using var dir = new TempDir();
        var extra = Written(dir, t => t + "learning_rate: 0.1\n");
        Assert.Contains("unknown setting 'learning_rate'", Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(extra)).Message);

        using var dir2 = new TempDir();
        var zero = Written(dir2, t => Regex.Replace(t, "keep_last_checkpoints: \\d+", "keep_last_checkpoints: 0"));
        Assert.Contains("'keep_last_checkpoints' should be a whole number of at least 1", Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(zero)).Message);
    }

    [Fact]
    public void A_misspelled_best_metric_names_its_line_and_the_nearest_metric_and_an_old_config_reads_the_recipe_default()
    {
        using var dir = new TempDir();
        var path = Written(dir, t => Regex.Replace(t, "best_metric: .*\n", "best_metric: dev_free/mcd_bd\n"));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{LineOf(path, "best_metric:")}: 'dev_free/mcd_bd' is not a validation metric; did you mean 'dev_free/mcd_db'?", e.Message);

        using var dir2 = new TempDir();
        var named = Written(dir2, t => Regex.Replace(t, "best_metric: .*\n", "best_metric: dev_free/band_mass\n"));
        Assert.Equal("dev_free/band_mass", RunConfigFile.Read(named).BestMetric);

        using var dir3 = new TempDir();
        var old = Written(dir3, t => Regex.Replace(Regex.Replace(t, "best_metric: .*\n", ""), "free_running_texts: .*\n", ""));
        var read = RunConfigFile.Read(old);
        Assert.Null(read.BestMetric);
        Assert.Equal(RunConfig.DefaultFreeRunningTexts, read.FreeRunningTexts);
    }

    [Fact]
    public void Phonemes_is_true_or_false_absent_is_left_for_the_trainer_to_settle_and_anything_else_names_its_line()
    {
        using var dir = new TempDir();
        var absent = Written(dir, t => t);
        Assert.DoesNotContain("phonemes:", File.ReadAllText(absent)); // the fixture's recipe reads no text
        Assert.Null(RunConfigFile.Read(absent).Phonemes);

        foreach (var value in new[] { true, false })
        {
            using var round = new TempDir();
            var path = Path.Combine(round.Path, "run.yml");
            var config = TrainerFixture.Config(round["run"]) with { Phonemes = value };
            RunConfigFile.Write(config, path);
            Assert.Equal(value, RunConfigFile.Read(path).Phonemes);
            Assert.Equal(config, RunConfigFile.Read(path));
        }

        using var dir2 = new TempDir();
        var wrong = Written(dir2, t => t.Replace("  recipe: ", "  phonemes: espeak\n  recipe: "));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(wrong));
        Assert.StartsWith($"{wrong}:{LineOf(wrong, "phonemes:")}: 'phonemes' should be true (espeak-ng phonemes) or false (letters)", e.Message);
    }

    [Fact]
    public void A_config_without_keep_last_reads_the_default()
    {
        using var dir = new TempDir();
        var path = Written(dir, t => Regex.Replace(t, "keep_last_checkpoints: .*\n", ""));
        Assert.Equal(RunConfig.DefaultKeepLastCheckpoints, RunConfigFile.Read(path).KeepLastCheckpoints);
    }

    [Fact]
    public void An_edited_TrainBS_over_the_dataset_is_refused_with_kit_params_rule_and_its_line()
    {
        using var dir = new TempDir();
        var path = Written(dir, t => Regex.Replace(t, @"TrainBS: \d+", "TrainBS: 1000"));
        var e = Assert.Throws<ConfigFormatException>(() => RunConfigFile.Read(path));
        Assert.StartsWith($"{path}:{LineOf(path, "TrainBS: 1000")}: parameters.TrainBS: TrainBS 1000 is more than the 36 usable training clips", e.Message);
    }
}
