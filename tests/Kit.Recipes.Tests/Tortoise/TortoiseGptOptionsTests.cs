using Kit.Recipes.Tortoise;

namespace Kit.Recipes.Tests.Tortoise;

public sealed class TortoiseGptOptionsTests
{
    [Fact]
    public void Real_weights_without_norms_warn_where_TorToiSe_publishes_them()
    {
        Assert.Empty(new TortoiseGptOptions().Warnings());
        Assert.Empty(new TortoiseGptOptions { BaseModel = "autoregressive.pth", MelNorms = "mel_norms.pth" }.Warnings());
        var warning = Assert.Single(new TortoiseGptOptions { BaseModel = "autoregressive.pth" }.Warnings());
        Assert.Contains("tortoise/data/mel_norms.pth", warning);
        Assert.Contains("--mel-norms", warning);
        Assert.Contains("missing.pth", string.Join("\n", new TinyTortoiseGptRecipe { Options = new TortoiseGptOptions { MelNorms = "missing.pth" } }.Problems()));
    }

    [Fact]
    public void The_full_recipe_needs_tortoise_s_three_files_and_the_tiny_one_none()
    {
        Assert.Empty(new TinyTortoiseGptRecipe().Problems());
        var problems = string.Join("\n", new FullTortoiseGptRecipe().Problems());
        foreach (var option in new[] { "--base-model is missing", "--dvae is missing", "--tokenizer is missing" }) Assert.Contains(option, problems);
        Assert.Equal(TinyTortoiseGptRecipe.RecipeName, TortoiseGptRecipe.ForSize("tiny", new()).Name);
        Assert.Equal(FullTortoiseGptRecipe.RecipeName, TortoiseGptRecipe.ForSize("FULL", new()).Name);
        Assert.Throws<ArgumentException>(() => TortoiseGptRecipe.ForSize("medium", new()));
    }
}
