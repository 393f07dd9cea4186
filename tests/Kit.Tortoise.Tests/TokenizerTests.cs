using Kit.TestSupport;
using Kit.Tortoise.Text;

namespace Kit.Tortoise.Tests;

public sealed class TokenizerTests
{
    // A small file in the tokenizers format TorToiSe's tokenizer.json uses: added tokens [STOP], [UNK],
    // [SPACE]; a BPE model over single letters with a few merges ("th", "the", "he").
    private const string Json = """
    {
      "version": "1.0",
      "added_tokens": [
        {"id": 0, "content": "[STOP]", "special": true},
        {"id": 1, "content": "[UNK]", "special": true},
        {"id": 2, "content": "[SPACE]", "special": true}
      ],
      "normalizer": null,
      "pre_tokenizer": {"type": "Whitespace"},
      "model": {
        "type": "BPE", "dropout": null, "unk_token": "[UNK]",
        "vocab": {"[STOP]": 0, "[UNK]": 1, "[SPACE]": 2, "t": 3, "h": 4, "e": 5, "c": 6, "a": 7, "m": 8, "i": 9,
                  "s": 10, "r": 11, ",": 12, "th": 13, "the": 14, "he": 15, "'": 16},
        "merges": ["t h", "th e", "h e"]
      }
    }
    """;

    private static TortoiseTokenizer Make(TempDir dir)
    {
        File.WriteAllText(dir["tokenizer.json"], Json);
        return TortoiseTokenizer.Load(dir["tokenizer.json"]);
    }

    [Fact]
    public void Merges_apply_by_rank_and_spaces_become_the_space_token()
    {
        using var dir = new TempDir("tok");
        var tok = Make(dir);
        // "the" merges t+h first (rank 0), then th+e; "he" stands alone; cleaners lower-case the text.
        Assert.Equal([14, 2, 15, 2, 6, 7, 3], tok.Encode("The  he cat"));
    }

    [Fact]
    public void Cleaners_spell_out_abbreviations_fold_accents_and_drop_quotes()
    {
        Assert.Equal("mister smith said cafe, 'hi'", TortoiseTokenizer.EnglishCleaners("Mr. Smith said \"café\", \u2018hi\u2019"));
    }

    [Fact]
    public void Unknown_symbols_map_to_unk_and_punctuation_is_split_off()
    {
        using var dir = new TempDir("tok");
        var tok = Make(dir);
        Assert.Equal([8, 9, 10, 12, 2, 1], tok.Encode("mis, z"));
    }

    [Fact]
    public void A_missing_file_names_where_tortoise_ships_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TortoiseTokenizer.Load("/nonexistent/tokenizer.json"));
        Assert.Contains("tortoise/data/tokenizer.json", e.Message);
    }
}
