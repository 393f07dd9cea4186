using Kit.Models.Synthesis;
using Kit.Recipes.Spectrogram;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Recipes.Tests.Spectrogram;

/// <summary>run.yml's model.phonemes chooses how the spectrogram model reads text, and the trained model keeps the choice.</summary>
public class TextFrontEndChoiceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_run_config_chooses_phonemes_or_letters_and_the_saved_model_reads_text_the_same_way(bool phonemes)
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"]);
        var run = dir["run"];
        var config = ModelFixture.Config(data, run, TinySpectrogramRecipe.RecipeName, valFreq: 2, saveFreq: 2) with { Phonemes = phonemes };
        Trainer.Run(config, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 });

        using var voice = SpectrogramSynthesizer.Load(CheckpointPaths.Weights(run));
        Assert.Equal(phonemes, voice.Config.Phonemes);
        Assert.Equal(phonemes, voice.FrontEnd.UsePhonemes);
        // espeak-ng's IPA marks primary stress with ˈ; letters never hold it.
        Assert.Equal(phonemes, voice.Config.Vocabulary.Contains('ˈ'));
        Assert.Equal(phonemes, File.Exists(Path.Combine(run, "cache", "phonemes.tsv")));
    }

    [Fact]
    public void A_run_yml_from_before_the_setting_trains_on_letters_as_its_runs_did_and_one_made_in_code_takes_the_recipe_s_choice()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"]);
        var made = ModelFixture.Config(data, dir["run"], TinySpectrogramRecipe.RecipeName, valFreq: 2, saveFreq: 2);
        Assert.Null(made.Phonemes);
        var path = dir["run.yml"];
        RunConfigFile.Write(made, path);
        Assert.DoesNotContain("phonemes:", File.ReadAllText(path));

        var log = new List<string>();
        var old = RunConfigFile.Read(path);
        Trainer.Run(old, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(old) with { MaxSteps = 2 }, log: log.Add);
        using (var voice = SpectrogramSynthesizer.Load(CheckpointPaths.Weights(old.OutputFolder))) Assert.False(voice.Config.Phonemes);
        Assert.Contains("Text: letters (a run.yml from before model.phonemes: letters, as its runs read)", log);
        // The run records the choice, so its resume reads text the same way.
        Assert.False(Trainer.ReadRunConfig(old.OutputFolder).Phonemes);

        log.Clear();
        var inCode = made with { OutputFolder = dir["run2"] };
        Trainer.Run(inCode, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(inCode) with { MaxSteps = 2 }, log: log.Add);
        using (var voice = SpectrogramSynthesizer.Load(CheckpointPaths.Weights(dir["run2"]))) Assert.Equal(new TinySpectrogramRecipe().Defaults.Phonemes!.Value, voice.Config.Phonemes);
        Assert.Contains("Text: espeak-ng phonemes (spectrogram-tiny's default)", log);
        Assert.True(Trainer.ReadRunConfig(dir["run2"]).Phonemes);
    }
}
