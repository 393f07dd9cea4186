using Kit.TorchExtras;
using Kit.Tortoise.Dvae;
using Kit.Tortoise.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Tests;

/// <summary>
/// The modules' fields are their state-dict names (RegisterComponents), and those names are what TorToiSe's
/// .pth files and the kit's own checkpoints hold: renaming a field must fail here, not when a voice loads.
/// The lists, in the order save_weights writes them, were taken from the models as they were before the
/// TorchSharp module style was unified.
/// </summary>
public sealed class StateDictNamesTests
{
    [Fact]
    public void UnifiedVoice_names_shapes_and_order_are_the_pinned_ones()
    {
        using var model = new UnifiedVoice(UnifiedVoiceConfig.Tiny);
        Assert.Equal(Pinned("unified_voice_tiny"), Listed(model));
    }

    [Fact]
    public void Dvae_names_shapes_and_order_are_the_pinned_ones()
    {
        using var model = new DiscreteVae(DiscreteVaeConfig.Tiny);
        Assert.Equal(Pinned("dvae_tiny"), Listed(model));
    }

    private static string[] Pinned(string name) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", name + ".keys.txt"));

    private static string[] Listed(nn.Module model) => model.ordered_state_dict()
        .Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}] {kv.Value.dtype.ToString().ToLowerInvariant()}").ToArray();
}
