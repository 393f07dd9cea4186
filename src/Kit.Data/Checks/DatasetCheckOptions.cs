using System.Text.Json.Serialization;

namespace Kit.Data.Checks;

/// <summary>The limits the dataset check applies; the defaults follow DLAS's EXAMPLE_gpt.yml and data loader.</summary>
public sealed record DatasetCheckOptions
{
    /// <summary>The training sample rate; clips at another rate get sample-rate-mismatch.</summary>
    public int SampleRate { get; init; } = 22050;

    /// <summary>Clips shorter than this are skipped by the trainer (too-short).</summary>
    public double MinSeconds { get; init; } = 0.6;

    /// <summary>DLAS's max_wav_length, in samples at <see cref="SampleRate"/> (too-long).</summary>
    public int MaxWavLength { get; init; } = 255_995;

    /// <summary>DLAS's max_text_length (text-too-long).</summary>
    public int MaxTextLength { get; init; } = 200;

    /// <summary>Leading or trailing silence longer than this is long-silence.</summary>
    public double LongSilenceSeconds { get; init; } = 1.0;

    /// <summary>A clip whose peak stays below this level is silent.</summary>
    public double SilentPeakDb { get; init; } = -45;

    /// <summary>
    /// speaking-rate-outlier when a clip's characters per second is this many robust standard deviations
    /// (1.4826 × the median absolute deviation) from the dataset's median.
    /// </summary>
    public double SpeakingRateDeviations { get; init; } = 4.0;

    /// <summary>Below this many clips the rate distribution is too thin to call anything an outlier.</summary>
    public int MinClipsForRateOutliers { get; init; } = 10;

    /// <summary>Characters the text front end handles; anything else in a transcript is unsupported-characters.</summary>
    public string SupportedCharacters { get; init; } = DefaultSupportedCharacters;

    /// <summary>Clips read at once; defaults to the processor count.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Called with (clips read, clips in all) as the check reads audio.</summary>
    [JsonIgnore]
    public IProgress<(int Done, int Total)>? Progress { get; init; }

    [JsonIgnore]
    public CancellationToken Cancellation { get; init; }

    /// <summary>
    /// Printable ASCII (but '|', which separates fields), Latin-1 letters and symbols, and typographic quotes
    /// and dashes: everything the text normalizer expands or maps. Emoji, other scripts, control characters
    /// and U+FFFD (from broken encodings) are not supported.
    /// </summary>
    public const string DefaultSupportedCharacters =
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{}~" +
        "¡¢£¥§°±²³µ·¹º¼½¾¿×÷ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿ" +
        "‘’‚“”„–—…€";
}
