using Kit.Data.Text;
using Kit.Models.Text;
using Kit.TestSupport;

namespace Kit.Models.Tests.Text;

public class TextFrontEndTests
{
    [Theory]
    [InlineData("Dr. Smith paid $3.50 on the 21st.", "doctor smith paid three dollars fifty cents on the twenty first.")]
    [InlineData("In 1984, 1,200 people came.", "in nineteen eighty four, one thousand two hundred people came.")]
    [InlineData("It\u2019s \u201Cfine\u201D \u2014 really\u2026", "it's \"fine\" - really...")]
    [InlineData("Pi is 3.14 & 50% of 2005 is 1002.5", "pi is three point one four and fifty percent of two thousand five is one thousand two point five")]
    [InlineData("\uFF21\uFF22 Mrs. Lee vs. Mr. Ng", "ab missus lee versus mister ng")]
    public void Normalizes_numbers_abbreviations_and_unicode(string text, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(text));

    [Fact]
    public void Number_words_cover_scales_ordinals_and_years()
    {
        Assert.Equal("one million two hundred thousand three", NumberWords.Cardinal(1_200_003));
        Assert.Equal("twentieth", NumberWords.Ordinal(20));
        Assert.Equal("one hundred twelfth", NumberWords.Ordinal(112));
        Assert.Equal("nineteen oh five", NumberWords.Year(1905));
        Assert.Equal("nineteen hundred", NumberWords.Year(1900));
    }

    [Fact]
    public void Vocabulary_comes_from_the_dataset_and_round_trips()
    {
        var dataset = Kit.Data.Datasets.Dataset.Load(SampleDatasets.Get());
        var lines = dataset.Entries.Select(e => e.TrainingText).ToList();
        var front = TextFrontEnd.FromTrainingText(lines);
        foreach (var line in lines)
        {
            var ids = front.Encode(line);
            Assert.Equal(CharacterVocabulary.End, ids[^1]);
            Assert.DoesNotContain((long)CharacterVocabulary.Unknown, ids);
            Assert.Equal(front.Symbols(line), front.Vocabulary.Decode(ids));
        }
        var again = CharacterVocabulary.Deserialize(front.Vocabulary.Serialize());
        Assert.Equal(front.Vocabulary.Symbols, again.Symbols);
        Assert.Equal(CharacterVocabulary.Unknown, front.Vocabulary.Encode("\u4E2D")[0]);
    }

    [Fact]
    public void Phonemes_come_from_espeak_and_are_cached_on_disk()
    {
        using var dir = new TempDir();
        var cache = dir["phonemes.tsv"];
        var ipa = new Phonemizer(cache).Phonemize("hello world");
        Assert.Contains("h", ipa);
        Assert.Contains("w", ipa);
        Assert.NotEqual("hello world", ipa);
        Assert.Single(File.ReadAllLines(cache));
        // A second phonemizer answers from the file: planting a different value there proves espeak is not asked.
        File.WriteAllText(cache, File.ReadAllText(cache).Replace(ipa, "CACHED"));
        Assert.Equal("CACHED", new Phonemizer(cache).Phonemize("hello world"));
    }
}
