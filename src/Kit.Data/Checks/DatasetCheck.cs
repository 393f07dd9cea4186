using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Kit.Data.Audio;
using Kit.Data.Datasets;
using Kit.Data.Text;

namespace Kit.Data.Checks;

/// <summary>
/// The dataset check: reads every list line and every clip it names (in parallel) and reports what would
/// stop or spoil training. <see cref="Run"/> throws <see cref="DatasetLoadException"/> only when the dataset
/// cannot be read at all.
/// </summary>
public static class DatasetCheck
{
    public static DatasetCheckReport Run(string path, DatasetCheckOptions? options = null)
    {
        options ??= new DatasetCheckOptions();
        var dataset = Dataset.Load(path);
        var measurements = MeasureClips(dataset, options);
        var findings = new List<Finding>();
        var near = new CaseInsensitiveFiles();
        foreach (var list in dataset.Lists)
        {
            findings.AddRange(list.Findings);
            if (list.Entries.Count == 0)
                findings.Add(new Finding(list.Split, 0, list.Name, FindingCodes.EmptyList, Severity.Warning,
                    $"{list.Name} has no entries") { ListFile = list.Name });
            foreach (var entry in list.Entries) findings.AddRange(EntryFindings(entry, measurements[entry.AudioPath], options, near));
            findings.AddRange(DuplicateFindings(list));
        }
        findings.AddRange(OverlapFindings(dataset));
        findings.AddRange(SpeakingRateFindings(dataset, measurements, findings, options));
        findings.Sort((a, b) =>
        {
            int c = a.Split.CompareTo(b.Split);
            if (c == 0) c = a.Line.CompareTo(b.Line);
            return c != 0 ? c : string.CompareOrdinal(a.Code, b.Code);
        });
        return DatasetCheckReport.Build(dataset, measurements, findings, options);
    }

    /// <summary>Reads each distinct audio file once, however many lists name it.</summary>
    private static Dictionary<string, ClipMeasurement> MeasureClips(Dataset dataset, DatasetCheckOptions options)
    {
        var paths = dataset.Entries.Select(e => e.AudioPath).Distinct(StringComparer.Ordinal).ToArray();
        var results = new ConcurrentDictionary<string, ClipMeasurement>(StringComparer.Ordinal);
        int done = 0;
        options.Progress?.Report((0, paths.Length));
        Parallel.ForEach(paths,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = options.Cancellation },
            p =>
            {
                results[p] = ClipMeasurement.Read(p);
                options.Progress?.Report((Interlocked.Increment(ref done), paths.Length));
            });
        return new Dictionary<string, ClipMeasurement>(results, StringComparer.Ordinal);
    }

    private static IEnumerable<Finding> EntryFindings(DatasetEntry e, ClipMeasurement clip, DatasetCheckOptions o, CaseInsensitiveFiles near)
    {
        Finding F(string code, Severity severity, string message, bool aboutAudio = true) =>
            new(e.Split, e.Line, aboutAudio ? e.Audio : e.ListFile, code, severity, message) { ListFile = e.ListFile };

        if (!clip.Exists)
            yield return F(FindingCodes.MissingAudio, Severity.Error, $"{e.Audio} does not exist" + (Path.IsPathRooted(e.Audio) ? "" : $" (resolved from the folder of {e.ListFile})") + CaseHint(e, near));
        else if (!clip.Readable)
            yield return F(FindingCodes.UnreadableAudio, Severity.Error, $"{e.Audio} cannot be read: {clip.Error}");
        else
        {
            var info = clip.Info!;
            var levels = clip.Levels!;
            double seconds = info.DurationSeconds;
            if (info.IsLowBitDepth)
                yield return F(FindingCodes.LowBitDepth, Severity.Warning, "8-bit audio: its quantisation noise is audible and the model learns it; record or export 16-bit");
            if (info.SampleRate != o.SampleRate)
                yield return F(FindingCodes.SampleRateMismatch, Severity.Warning, $"{info.SampleRate:N0} Hz; training uses {o.SampleRate:N0} Hz (the clip is resampled when loaded)");
            if (info.Channels > 1)
                yield return F(FindingCodes.NotMono, Severity.Warning, $"{info.Channels} channels; training uses only the first");
            if (seconds < o.MinSeconds)
                yield return F(FindingCodes.TooShort, Severity.Error, $"{seconds:0.00} s is under the {o.MinSeconds:0.0#} s minimum; the trainer skips it");
            double trainingSamples = seconds * o.SampleRate;
            if (trainingSamples > o.MaxWavLength)
                yield return F(FindingCodes.TooLong, Severity.Error,
                    $"{seconds:0.00} s ({trainingSamples:N0} samples at {o.SampleRate:N0} Hz) is over max_wav_length {o.MaxWavLength:N0} ({o.MaxWavLength / (double)o.SampleRate:0.0} s); the trainer silently swaps it for another clip: split it");
            if (levels.PeakDb < o.SilentPeakDb)
                yield return F(FindingCodes.Silent, Severity.Error, $"silent: the loudest sample is {levels.PeakDb:0} dBFS");
            else
            {
                if (levels.ClippedRuns > 0 || levels.Peak > 1)
                    yield return F(FindingCodes.Clipping, Severity.Warning, levels.Peak > 1
                        ? $"samples reach {levels.Peak:0.00}x full scale; training hard-clips them to [-1, 1]"
                        : $"{levels.ClippedRuns} flattened peak(s) at full scale: recorded too loud");
                if (levels.LeadingSilenceSeconds > o.LongSilenceSeconds || levels.TrailingSilenceSeconds > o.LongSilenceSeconds)
                    yield return F(FindingCodes.LongSilence, Severity.Warning,
                        $"{levels.LeadingSilenceSeconds:0.0} s of silence at the start and {levels.TrailingSilenceSeconds:0.0} s at the end (over {o.LongSilenceSeconds:0.0} s): trim it");
            }
        }

        var text = e.TrainingText;
        if (string.IsNullOrWhiteSpace(text))
        {
            yield return F(FindingCodes.EmptyText, Severity.Error, "the line has no transcript", aboutAudio: false);
            yield break;
        }
        if (!IsSpeakable(text))
        {
            yield return F(FindingCodes.EmptyText, Severity.Error,
                $"the transcript \"{text}\" has nothing to speak: after the text front end (numbers and symbols spelled out) no letter is left", aboutAudio: false);
            yield break;
        }
        if (text.Length > o.MaxTextLength)
            yield return F(FindingCodes.TextTooLong, Severity.Error, $"{text.Length} characters is over max_text_length {o.MaxTextLength}; split the clip and its text");
        var unsupported = UnsupportedCharacters(text, o.SupportedCharacters);
        if (unsupported.Length > 0)
            yield return F(FindingCodes.UnsupportedCharacters, Severity.Warning, $"characters the text front end does not handle: {DescribeCharacters(unsupported)}", aboutAudio: false);
    }

    private static IEnumerable<Finding> DuplicateFindings(ListFile list)
    {
        var firstLineOfClip = new Dictionary<string, int>(StringComparer.Ordinal);
        var firstOfText = new Dictionary<string, DatasetEntry>(StringComparer.Ordinal);
        foreach (var e in list.Entries)
        {
            if (!firstLineOfClip.TryAdd(e.AudioPath, e.Line))
            {
                yield return new Finding(e.Split, e.Line, e.Audio, FindingCodes.DuplicateEntry, Severity.Warning,
                    $"{e.Audio} is already listed on line {firstLineOfClip[e.AudioPath]}; it would be trained on twice as often") { ListFile = list.Name };
                continue;
            }
            var key = TextKey(e.TrainingText);
            if (key.Length == 0) continue;
            if (!firstOfText.TryAdd(key, e))
                yield return new Finding(e.Split, e.Line, e.Audio, FindingCodes.DuplicateText, Severity.Warning,
                    $"same transcript as line {firstOfText[key].Line} ({firstOfText[key].Audio}); is one of them the wrong text?") { ListFile = list.Name };
        }
    }

    private static IEnumerable<Finding> OverlapFindings(Dataset dataset)
    {
        var train = dataset.List(Split.Train);
        var val = dataset.List(Split.Val);
        if (train is null || val is null) yield break;
        var trainLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in train.Entries) trainLines.TryAdd(e.AudioPath, e.Line);
        foreach (var e in val.Entries)
            if (trainLines.TryGetValue(e.AudioPath, out int line))
                yield return new Finding(e.Split, e.Line, e.Audio, FindingCodes.SplitOverlap, Severity.Error,
                    $"{e.Audio} is also in {train.Name} (line {line}): validation on training clips hides over-fitting") { ListFile = val.Name };
    }

    /// <summary>
    /// Characters per second against the dataset's own median, in robust standard deviations, over usable
    /// distinct clips: a wrong or truncated transcript stands out.
    /// </summary>
    private static IEnumerable<Finding> SpeakingRateFindings(Dataset dataset, Dictionary<string, ClipMeasurement> clips, List<Finding> findings, DatasetCheckOptions o)
    {
        var errorLines = findings.Where(f => f.Severity == Severity.Error).Select(f => (f.Split, f.Line)).ToHashSet();
        var rated = dataset.Entries
            .Where(e => !errorLines.Contains((e.Split, e.Line)) && clips[e.AudioPath].Readable)
            .Select(e => (Entry: e, Rate: SpeakingRate(e, clips[e.AudioPath])))
            .ToList();
        var distinct = rated.DistinctBy(r => r.Entry.AudioPath).Select(r => r.Rate).Order().ToArray();
        if (distinct.Length < o.MinClipsForRateOutliers) yield break;
        double median = Distribution.Quantile(distinct, 0.5);
        double mad = Distribution.Quantile(distinct.Select(r => Math.Abs(r - median)).Order().ToArray(), 0.5);
        // A floor on the spread: a very uniform dataset (synthetic speech) must not flag normal variation.
        double sigma = Math.Max(1.4826 * mad, 0.08 * median);
        foreach (var (e, rate) in rated)
        {
            double z = (rate - median) / sigma;
            if (Math.Abs(z) > o.SpeakingRateDeviations)
                yield return new Finding(e.Split, e.Line, e.Audio, FindingCodes.SpeakingRateOutlier, Severity.Warning,
                    $"{rate:0.0} characters per second (as spoken) against the dataset's median {median:0.0}: " +
                    (z > 0 ? "too much text for the audio (audio cut short, or text of another clip?)" : "too little text for the audio (text cut short, or long pauses?)"))
                { ListFile = e.ListFile };
        }
    }

    /// <summary>
    /// Whether a transcript has something to say: a letter left after the text front end's normalizer
    /// (which spells out digits and symbols such as % and $). Punctuation alone ("...", "-", "?!") has not.
    /// </summary>
    public static bool IsSpeakable(string text) =>
        // The normalizer keeps every letter (it only adds words), so only text without one needs it: the check
        // stays fast on datasets of many thousands of lines.
        text.Any(char.IsLetter) || TextNormalizer.Normalize(text).Any(char.IsLetter);

    /// <summary>"; did you mean wavs/Case.wav?" when a file differs from the missing one only by letter case.</summary>
    private static string CaseHint(DatasetEntry e, CaseInsensitiveFiles near)
    {
        var match = near.Find(e.AudioPath);
        if (match is null) return "";
        // Shown the way the line's path is shown (relative to the dataset folder, or absolute as written):
        // the names at its end are the ones that differ.
        var parts = e.Audio.Split('/');
        var real = match.Split(Path.DirectorySeparatorChar);
        for (int i = 1; i <= parts.Length && i <= real.Length && parts[^i] is not (".." or "." or ""); i++) parts[^i] = real[^i];
        return $"; did you mean {string.Join('/', parts)}? (letter case matters)";
    }

    internal static double SpeakingRate(DatasetEntry e, ClipMeasurement clip) =>
        clip.Info is { DurationSeconds: > 0 } info ? SpokenLength(e.TrainingText) / info.DurationSeconds : 0;

    /// <summary>
    /// Characters as read aloud, estimated: a digit or a symbol such as % or $ is spoken as a word, so raw
    /// (unnormalized) transcripts with numbers would otherwise look spoken too slowly.
    /// </summary>
    internal static double SpokenLength(string text)
    {
        double length = 0;
        foreach (char c in text)
            length += c switch
            {
                >= '0' and <= '9' => 4,
                '%' or '$' or '£' or '€' or '°' or '&' or '@' or '#' or '+' or '=' => 6,
                _ => 1,
            };
        return length;
    }

    private static (string Key, HashSet<int> Runes)? _supported;

    internal static string UnsupportedCharacters(string text, string supported)
    {
        // Runs for every line of large datasets: the supported set is built once, ASCII-only text is common.
        var cache = _supported;
        if (cache is null || !ReferenceEquals(cache.Value.Key, supported) && cache.Value.Key != supported)
            _supported = cache = (supported, supported.EnumerateRunes().Select(r => r.Value).ToHashSet());
        var set = cache.Value.Runes;
        List<int>? found = null;
        foreach (var rune in text.EnumerateRunes())
            if (!set.Contains(rune.Value) && !(found ??= []).Contains(rune.Value)) found.Add(rune.Value);
        return found is null ? "" : string.Concat(found.Select(v => new Rune(v).ToString()));
    }

    /// <summary>Characters a person can see: invisible and odd ones by code point.</summary>
    internal static string DescribeCharacters(string chars) => string.Join(" ", chars.EnumerateRunes().Select(r =>
        Rune.IsControl(r) || Rune.IsWhiteSpace(r) || r.Value == 0xFFFD || Rune.GetUnicodeCategory(r) == UnicodeCategory.Format
            ? $"U+{r.Value:X4}" : $"'{r}' (U+{r.Value:X4})"));

    private static string TextKey(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
