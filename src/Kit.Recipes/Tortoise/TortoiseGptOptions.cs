namespace Kit.Recipes.Tortoise;

/// <summary>
/// Where a fine-tune's base files are. The kit cannot download them; TorToiSe publishes them:
/// autoregressive.pth and dvae.pth on Hugging Face (https://huggingface.co/jbetker/tortoise-tts-v2, under
/// .models/), tokenizer.json in the code (https://github.com/neonbjb/tortoise-tts, tortoise/data/).
/// </summary>
public sealed record TortoiseGptOptions
{
    public string? BaseModel { get; init; }
    public string? Dvae { get; init; }
    public string? Tokenizer { get; init; }
    /// <summary>TorToiSe's mel_norms.pth (optional): per-band norms the mels are divided by, as TorToiSe does.</summary>
    public string? MelNorms { get; init; }

    public const string WhereToGetThem =
        "TorToiSe publishes autoregressive.pth and dvae.pth at https://huggingface.co/jbetker/tortoise-tts-v2 (folder .models) " +
        "and tokenizer.json in https://github.com/neonbjb/tortoise-tts (tortoise/data/tokenizer.json); download them and pass their paths.";

    /// <summary>Every problem with the paths at once, each naming the option and the file; the three base files are required when <paramref name="required"/>.</summary>
    public IReadOnlyList<string> Problems(bool required)
    {
        var problems = new List<string>();
        void Check(string? path, string option, string file)
        {
            if (path is null) { if (required) problems.Add($"{option} is missing: the path of TorToiSe's {file}"); }
            else if (!File.Exists(path)) problems.Add($"{option} {path}: no such file (TorToiSe's {file})");
        }
        Check(BaseModel, "--base-model", "autoregressive.pth");
        Check(Dvae, "--dvae", "dvae.pth");
        Check(Tokenizer, "--tokenizer", "tokenizer.json");
        if (MelNorms is not null && !File.Exists(MelNorms)) problems.Add($"--mel-norms {MelNorms}: no such file (TorToiSe's mel_norms.pth)");
        return problems;
    }

    /// <summary>Settings that run but likely not as intended: real weights with mels TorToiSe would have normalised.</summary>
    public IReadOnlyList<string> Warnings() =>
        BaseModel is not null && MelNorms is null
            ? [$"no --mel-norms: TorToiSe's GPT and DVAE were trained on mels divided per band by mel_norms.pth, so without it the codes and conditioning differ from TorToiSe's. {Kit.Tortoise.Audio.MelNorms.WhereToGetIt}."]
            : [];
}
