using Kit.Data.Text;

namespace Kit.Models.Text;

/// <summary>
/// Text to model input: normalized, optionally phonemized, then encoded with the vocabulary the model was
/// trained with. One instance serves training and synthesis, so both read text the same way.
/// </summary>
public sealed class TextFrontEnd
{
    private readonly Phonemizer? _phonemizer;

    public CharacterVocabulary Vocabulary { get; }
    public bool UsePhonemes => _phonemizer is not null;

    public TextFrontEnd(CharacterVocabulary vocabulary, Phonemizer? phonemizer = null)
    {
        Vocabulary = vocabulary;
        _phonemizer = phonemizer;
    }

    /// <summary>A front end whose vocabulary covers these training lines.</summary>
    public static TextFrontEnd FromTrainingText(IEnumerable<string> lines, Phonemizer? phonemizer = null)
    {
        var prepared = lines.Select(l => Prepare(l, phonemizer)).ToList();
        return new TextFrontEnd(CharacterVocabulary.FromLines(prepared), phonemizer);
    }

    /// <summary>The symbols the model reads for a line: normalized text, or its phonemes.</summary>
    public string Symbols(string text) => Prepare(text, _phonemizer);

    public long[] Encode(string text) => Vocabulary.Encode(Symbols(text));

    private static string Prepare(string text, Phonemizer? phonemizer)
    {
        var normalized = TextNormalizer.Normalize(text);
        return phonemizer is null ? normalized : phonemizer.Phonemize(normalized);
    }
}
