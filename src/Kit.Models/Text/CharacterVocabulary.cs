using System.Globalization;

namespace Kit.Models.Text;

/// <summary>
/// The symbols a spectrogram model reads: id 0 pads, 1 ends a line, 2 stands for a symbol not seen in
/// training; then every text element (grapheme cluster, so IPA with combining marks stays whole) of the
/// training lines, in ordinal order so the same lines always give the same ids.
/// </summary>
public sealed class CharacterVocabulary
{
    public const int Pad = 0, End = 1, Unknown = 2;
    private const int Reserved = 3;
    private readonly Dictionary<string, int> _ids;

    public IReadOnlyList<string> Symbols { get; }

    public CharacterVocabulary(IEnumerable<string> symbols)
    {
        Symbols = symbols.Distinct().ToList();
        _ids = Symbols.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i + Reserved);
    }

    public int Count => Symbols.Count + Reserved;

    /// <summary>Every symbol of these (already normalized or phonemized) lines.</summary>
    public static CharacterVocabulary FromLines(IEnumerable<string> lines) =>
        new(lines.SelectMany(Elements).Distinct().Order(StringComparer.Ordinal));

    /// <summary>The ids of a line, with the end id appended; unseen symbols become <see cref="Unknown"/>.</summary>
    public long[] Encode(string line) =>
        Elements(line).Select(e => (long)_ids.GetValueOrDefault(e, Unknown)).Append(End).ToArray();

    public string Decode(IEnumerable<long> ids) =>
        string.Concat(ids.Where(i => i >= Reserved && i < Count).Select(i => Symbols[(int)i - Reserved]));

    /// <summary>One symbol per line, for storing the vocabulary beside the weights.</summary>
    public string Serialize() => string.Join('\n', Symbols);

    public static CharacterVocabulary Deserialize(string text) =>
        new(text.Length == 0 ? [] : text.Split('\n'));

    private static IEnumerable<string> Elements(string line)
    {
        var e = StringInfo.GetTextElementEnumerator(line);
        while (e.MoveNext()) yield return e.GetTextElement();
    }
}
