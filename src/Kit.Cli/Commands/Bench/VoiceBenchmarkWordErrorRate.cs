using System.Text.RegularExpressions;

namespace Kit.Cli.Commands.Bench;

/// <summary>The benchmark's word error rate: word-level edits from what was said to what was heard, over the words said.</summary>
public static partial class VoiceBenchmarkWordErrorRate
{
    /// <summary>
    /// Words for scoring: lower case, every character but letters, digits and apostrophes a space, apostrophes
    /// at a word's edge dropped ("It's easy." → it's, easy).
    /// </summary>
    public static string[] Words(string text) =>
        NotWordCharacter().Replace(text.ToLowerInvariant(), " ")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('\'')).Where(w => w.Length > 0).ToArray();

    /// <summary>
    /// Word-level edit distance (substitutions, insertions, deletions) from <paramref name="reference"/> to
    /// <paramref name="hypothesis"/>: each distinct word becomes one character, and Quickenshtein counts the edits.
    /// </summary>
    public static int WordErrors(IReadOnlyList<string> reference, IReadOnlyList<string> hypothesis)
    {
        var codes = new Dictionary<string, char>(StringComparer.Ordinal);
        string Encode(IEnumerable<string> words) =>
            string.Concat(words.Select(w => codes.TryGetValue(w, out var c) ? c : codes[w] = (char)(0x4E00 + codes.Count)));
        return Quickenshtein.Levenshtein.GetDistance(Encode(reference), Encode(hypothesis));
    }

    /// <summary>Edits over reference words, summed over the pairs (said, heard), as a percentage.</summary>
    public static double Percent(IEnumerable<(string Said, string Heard)> pairs)
    {
        int words = 0, errors = 0;
        foreach (var (said, heard) in pairs)
        {
            var reference = Words(said);
            words += reference.Length;
            errors += WordErrors(reference, Words(heard));
        }
        return 100.0 * errors / Math.Max(1, words);
    }

    [GeneratedRegex("[^a-z0-9']+")]
    private static partial Regex NotWordCharacter();
}
