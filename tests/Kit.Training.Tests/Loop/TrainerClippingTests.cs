using Kit.TestSupport;
using Kit.Training.Loop;
using Kit.Training.Parameters;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;

namespace Kit.Training.Tests.Loop;

/// <summary>Gradient clipping comes from the recipe's defaults, whichever way the trainer is started.</summary>
[Collection(TorchTrainerRuns.Name)]
public class TrainerClippingTests
{
    [Theory]
    [InlineData(TinyDurationRecipe.RecipeName)]
    [InlineData(TinyDurationTorchRecipe.RecipeName)]
    public void Every_update_is_clipped_at_the_recipe_s_norm_when_the_options_leave_it_out(string name)
    {
        using var dir = new TempDir();
        var recipe = new Recording(RecipeCatalog.Find(name), 2.5);
        var config = TrainerFixture.Config(dir.Path) with { ModelRecipe = name };
        var lines = new List<string>();
        Trainer.Run(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 6 }, log: lines.Add);
        Assert.Equal(Enumerable.Repeat<double?>(2.5, 6), recipe.Norms);
        Assert.Contains($"Gradient clipping: norm 2.5 ({name}'s default: a test's value)", lines);
    }

    [Fact]
    public void A_norm_set_for_the_run_wins_and_is_named_as_such()
    {
        using var dir = new TempDir();
        var recipe = new Recording(new TinyDurationRecipe(), 2.5);
        var config = TrainerFixture.Config(dir.Path);
        var lines = new List<string>();
        Trainer.Run(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 3, MaxGradNorm = 0.5 }, log: lines.Add);
        Assert.Equal(Enumerable.Repeat<double?>(0.5, 3), recipe.Norms);
        Assert.Contains("Gradient clipping: norm 0.5 (set for this run; tiny-duration's default is 2.5)", lines);
    }

    /// <summary>A recipe whose defaults clip at <paramref name="norm"/>, recording the norm each update is given.</summary>
    private sealed class Recording(IRecipe inner, double norm) : IRecipe
    {
        public List<double?> Norms { get; } = [];
        public string Name => inner.Name;
        public RecipeDefaults Defaults { get; } = inner.Defaults with { MaxGradNorm = new(norm, "a test's value") };
        public ITrainable Create(RecipeContext context) => new Trainable(inner.Create(context), Norms);

        private sealed class Trainable(ITrainable model, List<double?> norms) : WrappedTrainable(model), ITrainable
        {
            bool ITrainable.ApplyUpdate(double learningRate, double? maxGradNorm)
            {
                norms.Add(maxGradNorm);
                return base.ApplyUpdate(learningRate, maxGradNorm);
            }
        }
    }
}
