using Kit.Recipes.Tortoise;

namespace Kit.Recipes.Tests.Tortoise;

public sealed class TortoiseGptOptionsTests
{
    [Fact]
    public void Real_weights_without_norms_warn_where_TorToiSe_publishes_them()
    {
        Assert.Empty(new TortoiseGptOptions { Size = "tiny" }.Warnings());
        Assert.Empty(new TortoiseGptOptions { BaseModel = "autoregressive.pth", MelNorms = "mel_norms.pth" }.Warnings());
        var warning = Assert.Single(new TortoiseGptOptions { BaseModel = "autoregressive.pth" }.Warnings());
        Assert.Contains("tortoise/data/mel_norms.pth", warning);
        Assert.Contains("--mel-norms", warning);
        Assert.Contains("missing.pth", string.Join("\n", new TortoiseGptOptions { Size = "tiny", MelNorms = "missing.pth" }.Problems()));
    }
}
