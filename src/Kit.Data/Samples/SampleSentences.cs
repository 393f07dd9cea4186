using System.Reflection;

namespace Kit.Data.Samples;

/// <summary>One shipped sentence: what a person would write, and its spoken-form (normalized) text.</summary>
public sealed record SampleSentence(string Text, string Normalized);

/// <summary>The English sentences the kit ships for its sample dataset (an embedded resource).</summary>
public static class SampleSentences
{
    private static readonly Lazy<IReadOnlyList<SampleSentence>> Loaded = new(Load);

    public static IReadOnlyList<SampleSentence> All => Loaded.Value;

    private static IReadOnlyList<SampleSentence> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Kit.Data.Samples.sentences.txt")
            ?? throw new InvalidOperationException("the sample sentences resource is missing from Kit.Data");
        using var reader = new StreamReader(stream);
        var result = new List<SampleSentence>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('|');
            result.Add(new SampleSentence(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : parts[0].Trim()));
        }
        return result;
    }
}
