namespace Kit.Data.Checks;

/// <summary>
/// The finding codes: a stable contract that tests, notebooks and other tools rely on. Add codes; never
/// rename or remove one.
/// </summary>
public static class FindingCodes
{
    // Lines and text
    public const string MalformedLine = "malformed-line";
    public const string EmptyText = "empty-text";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string TextTooLong = "text-too-long";
    public const string UnsupportedCharacters = "unsupported-characters";
    public const string DuplicateEntry = "duplicate-entry";
    public const string SplitOverlap = "split-overlap";
    // Audio files
    public const string MissingAudio = "missing-audio";
    public const string UnreadableAudio = "unreadable-audio";
    public const string SampleRateMismatch = "sample-rate-mismatch";
    public const string NotMono = "not-mono";
    public const string TooShort = "too-short";
    public const string TooLong = "too-long";
    // Audio content
    public const string Clipping = "clipping";
    public const string Silent = "silent";
    public const string LongSilence = "long-silence";
    public const string SpeakingRateOutlier = "speaking-rate-outlier";
    // Added by the kit beyond the list
    /// <summary>Two different clips in one split with the same transcript (often a copy-paste slip).</summary>
    public const string DuplicateText = "duplicate-text";
    /// <summary>A list file with no usable lines at all.</summary>
    public const string EmptyList = "empty-list";
    /// <summary>8-bit audio: audible quantisation noise the model learns.</summary>
    public const string LowBitDepth = "low-bit-depth";

    /// <summary>Every code with its severity and what it means, for the README, the notebook and --help.</summary>
    public static IReadOnlyList<(string Code, Severity Severity, string Meaning)> All { get; } =
    [
        (MissingAudio, Severity.Error, "the audio file the line names does not exist (a file that differs only by letter case is named)"),
        (UnreadableAudio, Severity.Error, "the audio file is not a readable WAV, MP3, FLAC or OGG Vorbis file (broken, truncated, another format)"),
        (MalformedLine, Severity.Error, "the line does not fit its list file's format (`id|text|normalized` or `path|text`, decided from the whole file)"),
        (EmptyText, Severity.Error, "the line has no transcript, or nothing to speak (punctuation only)"),
        (InvalidUtf8, Severity.Error, "the line is not valid UTF-8 (the file was saved in another encoding)"),
        (DuplicateEntry, Severity.Warning, "the same clip is listed twice in one split"),
        (SplitOverlap, Severity.Error, "a validation clip is also in the training list"),
        (SampleRateMismatch, Severity.Warning, "the clip's sample rate differs from the training rate (it is resampled)"),
        (NotMono, Severity.Warning, "the clip has more than one channel (only the first is used)"),
        (TooShort, Severity.Error, "the clip is shorter than the trainer's minimum (0.6 s)"),
        (TooLong, Severity.Error, "the clip is longer than max_wav_length (255,995 samples, about 11.6 s at 22,050 Hz)"),
        (TextTooLong, Severity.Error, "the transcript is longer than max_text_length (200)"),
        (Clipping, Severity.Warning, "the waveform is flattened at full scale (recorded too loud)"),
        (Silent, Severity.Error, "the clip is silent or nearly so"),
        (LongSilence, Severity.Warning, "over a second of silence at the start or the end"),
        (SpeakingRateOutlier, Severity.Warning, "characters per second far from the dataset's own distribution (wrong transcript?)"),
        (UnsupportedCharacters, Severity.Warning, "the transcript holds characters the text front end does not handle"),
        (DuplicateText, Severity.Warning, "two different clips in one split have the same transcript"),
        (EmptyList, Severity.Warning, "a list file has no entries"),
        (LowBitDepth, Severity.Warning, "8-bit audio (audible quantisation noise)"),
    ];
}
