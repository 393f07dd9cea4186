using TorchSharp;
using Kit.Models.Signal;
using Kit.Recipes.Signal;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Training.Parameters;
using Kit.Training.Recipes;

namespace Kit.Recipes.Tests;

/// <summary>The spectrogram and signal recipes' declared defaults against the models they train.</summary>
public class RecipeDefaultsTests
{
    /// <summary>Characters in a typical English vocabulary (letters, digits, punctuation): the embedding's only effect on the count.</summary>
    private const int Vocabulary = 40;

    public static TheoryData<string> Recipes => new()
    {
        TinySpectrogramRecipe.RecipeName, FullSpectrogramRecipe.RecipeName, TinySignalRecipe.RecipeName, FullSignalRecipe.RecipeName,
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
            _ => throw new InvalidOperationException(name),
        };
        var counted = model.parameters().Sum(p => p.numel());
        var declared = recipe.Defaults.Memory.Parameters;
        Assert.True(Math.Abs(counted - declared) <= declared / 100, $"{name}: the model has {counted:N0} parameters, its memory model says {declared:N0}");
    }
}
