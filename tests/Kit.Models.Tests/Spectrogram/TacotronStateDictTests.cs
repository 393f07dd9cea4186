using Kit.Models.Spectrogram;
using Kit.TorchExtras;

namespace Kit.Models.Tests.Spectrogram;

/// <summary>
/// The spectrogram model's fields are its state-dict names (RegisterComponents), and those names are what
/// every saved checkpoint holds: renaming a field must fail here, not when a trained voice loads. The list,
/// in the order save_weights writes it, was taken from the model as it was before the TorchSharp module
/// style was unified.
/// </summary>
public sealed class TacotronStateDictTests
{
    [Fact]
    public void Names_shapes_and_order_are_the_pinned_ones()
    {
        // Small and uneven sizes, so a swapped dimension shows in the shapes.
        var size = new SpectrogramModelSize
        {
            EmbeddingSize = 16, EncoderLstmSize = 8, AttentionSize = 8, LocationFilters = 4, LocationKernel = 5, PreNetSize = 8,
            AttentionLstmSize = 16, DecoderLstmSize = 16, PostNetSize = 8, PostNetLayers = 3, FramesPerStep = 2,
        };
        using var model = new TacotronModel(20, 10, size);
        var listed = model.ordered_state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}] {kv.Value.dtype.ToString().ToLowerInvariant()}");
        Assert.Equal(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Spectrogram", "tacotron.keys.txt")), listed);
    }
}
