using TorchSharp;
using Kit.Models.Signal;
using Kit.Recipes.Signal;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Recipes.Tortoise;
using Kit.Tortoise.Model;

namespace Kit.Recipes.Tests;

/// <summary>The recipes' declared defaults against the models they train.</summary>
public class RecipeDefaultsTests
{
    /// <summary>Characters in a typical English vocabulary (letters, digits, punctuation): the embedding's only effect on the count.</summary>
    private const int Vocabulary = 40;

    public static TheoryData<string> Recipes => new()
    {
        TinySpectrogramRecipe.RecipeName, SmallSpectrogramRecipe.RecipeName, FullSpectrogramRecipe.RecipeName, TinySignalRecipe.RecipeName, FullSignalRecipe.RecipeName,
        TinyTortoiseGptRecipe.RecipeName,
    };

    [Theory]
    [MemberData(nameof(Recipes))]
    public void The_memory_model_counts_the_parameters_the_recipe_s_model_has(string name)
    {
        var recipe = RecipeCatalog.Find(name);
        using torch.nn.Module model = recipe switch
        {
            SpectrogramRecipe s => new TacotronModel(Vocabulary, s.Mel.NMels, s.Size),
            SignalRecipe s => new WaveRnnModel(s.Mel.NMels, s.Mel.HopLength, Math.Log(s.Mel.LogFloor), s.Size),
            TortoiseGptRecipe t => new UnifiedVoice(t.Size),
            _ => throw new InvalidOperationException(name),
        };
        var counted = model.parameters().Sum(p => p.numel());
        var declared = recipe.Defaults.Memory.Parameters;
        Assert.True(Math.Abs(counted - declared) <= declared / 100, $"{name}: the model has {counted:N0} parameters, its memory model says {declared:N0}");
    }

    /// <summary>
    /// The DLAS profile's GPT estimate lives in Kit.Training, which cannot see Kit.Tortoise: its numbers must be the
    /// full model's config, as the recipe reads them (421 M parameters is TorToiSe's published count, not counted here).
    /// </summary>
    [Fact]
    public void The_dlas_profile_s_gpt_estimate_is_the_full_model_s_config()
    {
        Assert.Equal(TortoiseMemory.Of(UnifiedVoiceConfig.Full, GptMemoryModel.TortoiseGpt.Parameters), GptMemoryModel.TortoiseGpt);
        Assert.Same(GptMemoryModel.TortoiseGpt, new FullTortoiseGptRecipe().Defaults.Memory);
    }
}
