using Kit.Models.Features;
using Kit.Models.Text;

namespace Kit.Models.Spectrogram;

/// <summary>Everything needed to rebuild a spectrogram model from its weights: sizes, audio settings, the text front end.</summary>
public sealed record SpectrogramModelConfig
{
    public required SpectrogramModelSize Size { get; init; }
    public required MelSettings Mel { get; init; }
    /// <summary><see cref="CharacterVocabulary.Serialize"/> of the training text's symbols.</summary>
    public required string Vocabulary { get; init; }
    public bool Phonemes { get; init; }

    public TextFrontEnd FrontEnd(string? phonemeCache = null) =>
        new(CharacterVocabulary.Deserialize(Vocabulary), Phonemes ? new Phonemizer(phonemeCache) : null);
}
