using Kit.Cli.Commands.Bench;

namespace Kit.Cli.Tests;

/// <summary>The benchmark's word error rate on cases worked by hand.</summary>
public sealed class VoiceBenchmarkWordErrorRateTests
{
    [Fact]
    public void Words_are_lower_case_without_punctuation_and_keep_inner_apostrophes()
    {
        Assert.Equal(["it's", "easy", "to", "tell", "the", "depth", "of", "a", "well"],
            VoiceBenchmarkWordErrorRate.Words("It's easy to tell the depth of a well."));
        Assert.Equal(["the", "boys", "hat"], VoiceBenchmarkWordErrorRate.Words("'The boys' hat!'"));
        Assert.Empty(VoiceBenchmarkWordErrorRate.Words(" ... "));
    }

    [Theory]
    // said, heard, edits: a substitution, a deletion, an insertion, and a repeated word that must not match a different one.
    [InlineData("the birch canoe slid", "the march canoe slid", 1)]
    [InlineData("the birch canoe slid", "the canoe slid", 1)]
    [InlineData("the birch canoe slid", "the birch canoe slid on", 1)]
    [InlineData("the birch canoe slid", "", 4)]
    [InlineData("a a a", "a b a", 1)]
    [InlineData("glue the sheet", "sheet the glue", 2)]
    public void Word_errors_count_substitutions_deletions_and_insertions(string said, string heard, int edits) =>
        Assert.Equal(edits, VoiceBenchmarkWordErrorRate.WordErrors(VoiceBenchmarkWordErrorRate.Words(said), VoiceBenchmarkWordErrorRate.Words(heard)));

    [Fact]
    public void Percent_is_edits_over_all_words_said()
    {
        // 1 edit of 4 words (a deletion), 4 of 4 (three substitutions, a deletion), 0 of 1: 5 of 9 words, 55.6%,
        // not the mean of the sentences' rates (41.7%).
        var pairs = new[] { ("The birch canoe slid.", "the birch canoe"), ("Glue the sheet down.", "you got cheated"), ("Rice.", "rice") };
        Assert.Equal(100.0 * 5 / 9, VoiceBenchmarkWordErrorRate.Percent(pairs), 9);
    }
}
