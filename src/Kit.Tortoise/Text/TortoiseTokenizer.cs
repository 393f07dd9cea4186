using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kit.Tortoise.Text;

/// <summary>
/// TorToiSe's text tokenizer (its VoiceBpeTokenizer): English cleaners (ASCII, lower case, abbreviations
/// spelled out, quotes removed, whitespace collapsed), spaces written as the added token [SPACE], then a
/// Hugging Face tokenizers BPE model read from the tokenizer.json the user gives (TorToiSe ships it as
/// tortoise/data/tokenizer.json). Words are split as the "Whitespace" pre-tokenizer does.
/// </summary>
public sealed partial class TortoiseTokenizer
{
    private readonly Dictionary<string, int> vocab;
    private readonly Dictionary<(string, string), int> mergeRanks = [];
    private readonly List<(string content, int id)> addedTokens;
    private readonly int? unkId;

    public const string SpaceToken = "[SPACE]";

    private TortoiseTokenizer(Dictionary<string, int> vocab, IEnumerable<(string, string)> merges, List<(string, int)> added, string? unk)
    {
        this.vocab = vocab;
        int rank = 0;
        foreach (var m in merges) mergeRanks.TryAdd(m, rank++);
        // Longest first, so that a token containing another is matched whole.
        addedTokens = added.OrderByDescending(a => a.Item1.Length).ToList();
        unkId = unk is not null && vocab.TryGetValue(unk, out var u) ? u : null;
    }

    public int VocabularySize => vocab.Count == 0 ? 0 : vocab.Values.Max() + 1;

    /// <summary>Reads a Hugging Face tokenizers file (model type BPE).</summary>
    public static TortoiseTokenizer Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"no tokenizer at {path}: TorToiSe ships it as tortoise/data/tokenizer.json in https://github.com/neonbjb/tortoise-tts", path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.GetProperty("type").GetString() != "BPE")
            throw new InvalidDataException($"{path}: not a tokenizers file with a BPE model");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => ParseMerge(m, path)).ToList();
        var added = new List<(string, int)>();
        if (root.TryGetProperty("added_tokens", out var at) && at.ValueKind == JsonValueKind.Array)
            foreach (var t in at.EnumerateArray())
            {
                var content = t.GetProperty("content").GetString()!;
                var id = t.GetProperty("id").GetInt32();
                added.Add((content, id));
                vocab.TryAdd(content, id);
            }
        var unk = model.TryGetProperty("unk_token", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        return new TortoiseTokenizer(vocab, merges, added, unk);
    }

    private static (string, string) ParseMerge(JsonElement m, string path)
    {
        // Older files write "a b", newer ones ["a", "b"].
        if (m.ValueKind == JsonValueKind.Array) return (m[0].GetString()!, m[1].GetString()!);
        var s = m.GetString() ?? "";
        var i = s.IndexOf(' ');
        if (i <= 0) throw new InvalidDataException($"{path}: merge '{s}' is not two symbols");
        return (s[..i], s[(i + 1)..]);
    }

    /// <summary>Token ids of a transcript, as TorToiSe's VoiceBpeTokenizer.encode gives them.</summary>
    public int[] Encode(string text)
    {
        var prepared = EnglishCleaners(text).Replace(" ", SpaceToken);
        var ids = new List<int>();
        foreach (var (segment, addedId) in SplitAddedTokens(prepared))
        {
            if (addedId is { } id) { ids.Add(id); continue; }
            foreach (Match word in WhitespacePreTokenizer().Matches(segment)) EncodeWord(word.Value, ids);
        }
        return ids.ToArray();
    }

    private IEnumerable<(string text, int? id)> SplitAddedTokens(string s)
    {
        int start = 0, i = 0;
        while (i < s.Length)
        {
            var hit = addedTokens.FirstOrDefault(a => string.CompareOrdinal(s, i, a.content, 0, a.content.Length) == 0 && a.content.Length > 0);
            if (hit.content is null) { i++; continue; }
            if (i > start) yield return (s[start..i], null);
            yield return (hit.content, hit.id);
            i += hit.content.Length;
            start = i;
        }
        if (start < s.Length) yield return (s[start..], null);
    }

    private void EncodeWord(string word, List<int> ids)
    {
        var symbols = new List<string>();
        for (int i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
            symbols.Add(char.ConvertFromUtf32(char.ConvertToUtf32(word, i)));
        while (symbols.Count > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank) (best, bestRank) = (i, r);
            if (best < 0) break;
            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }
        foreach (var s in symbols)
        {
            if (vocab.TryGetValue(s, out var id)) ids.Add(id);
            else if (unkId is { } u) ids.Add(u);
        }
    }

    /// <summary>
    /// TorToiSe's english_cleaners without number expansion: give the normalized transcript (the
    /// dataset's third column) when the text has digits.
    /// </summary>
    public static string EnglishCleaners(string text)
    {
        var ascii = ToAscii(text).ToLowerInvariant();
        foreach (var (abbreviation, expansion) in Abbreviations)
            ascii = Regex.Replace(ascii, $@"\b{Regex.Escape(abbreviation)}\.", expansion);
        ascii = MultipleWhitespace().Replace(ascii, " ");
        return ascii.Replace("\"", "");
    }

    private static string ToAscii(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c switch
            {
                '\u2018' or '\u2019' => '\'',
                '\u201C' or '\u201D' => '"',
                '\u2013' or '\u2014' => '-',
                _ => c,
            });
        }
        return sb.ToString();
    }

    private static readonly (string, string)[] Abbreviations =
    [
        ("mrs", "misess"), ("mr", "mister"), ("dr", "doctor"), ("st", "saint"), ("co", "company"), ("jr", "junior"),
        ("maj", "major"), ("gen", "general"), ("drs", "doctors"), ("rev", "reverend"), ("lt", "lieutenant"),
        ("hon", "honorable"), ("sgt", "sergeant"), ("capt", "captain"), ("esq", "esquire"), ("ltd", "limited"),
        ("col", "colonel"), ("ft", "fort"),
    ];

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultipleWhitespace();

    /// <summary>The tokenizers "Whitespace" pre-tokenizer: runs of word characters, or of other non-space characters.</summary>
    [GeneratedRegex(@"\w+|[^\w\s]+")]
    private static partial Regex WhitespacePreTokenizer();
}
