using Kit.Tortoise.Audio;
using Kit.Tortoise.Model;
using Kit.Training.Parameters;

namespace Kit.Recipes.Tortoise;

/// <summary>
/// The training memory estimate of a GPT of a given size, its numbers read from the model's own config.
/// Kit.Training's <see cref="GptMemoryModel.TortoiseGpt"/> (the DLAS profile's, which cannot see Kit.Tortoise)
/// is checked to be this estimate of <see cref="UnifiedVoiceConfig.Full"/> (RecipeDefaultsTests).
/// </summary>
public static class TortoiseMemory
{
    public static GptMemoryModel Of(UnifiedVoiceConfig size, long parameters) =>
        new(parameters, size.Layers, size.ModelDim, size.Heads, size.NumberMelCodes, TortoiseMel.SampleRate,
            size.MelLengthCompression, size.MaxMelTokens, size.MaxTextTokens);
}
