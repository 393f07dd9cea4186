using Kit.Data.Datasets;
using Kit.Tortoise.Audio;
using Kit.Tortoise.Dvae;
using Kit.Tortoise.Model;
using Kit.Tortoise.Text;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Training;

/// <summary>One training clip as the GPT sees it: text tokens, DVAE codes, audio length and conditioning mels (2, 80, frames).</summary>
public sealed record ClipData(string Audio, long[] Text, long[] Codes, long Samples, float[] Conditioning);

/// <summary>
/// Turns dataset entries into <see cref="ClipData"/>: audio at 22,050 Hz, TorToiSe's mel, codes from the
/// DVAE (cached), tokens from the tokenizer, and two conditioning candidates of 44,000 samples each (the
/// clip's start and end, zero-padded), as DLAS's defaults. With mel norms, both the mel the DVAE codes and
/// the conditioning mels are divided by them, as TorToiSe's TorchMelSpectrogram does. Clips over the model's text or mel limits are
/// left out with a note (DLAS silently swaps them for random others).
/// </summary>
public sealed class ClipPreparer(UnifiedVoiceConfig model, MelCodeCache codes, Func<string, int[]> tokenize, Action<string> log, Tensor? melNorms = null)
{
    public const int ConditioningSamples = 44000;
    public static readonly int ConditioningFrames = ConditioningSamples / TortoiseMel.Hop + 1;

    public List<ClipData> Prepare(IReadOnlyList<DatasetEntry> entries, string what)
    {
        var result = new List<ClipData>();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            using var scope = NewDisposeScope();
            var samples = TortoiseMel.LoadAudio(e.AudioPath);
            var text = tokenize(e.TrainingText).Select(t => (long)t).ToArray();
            var clipCodes = codes.CodesFor(e.AudioPath, TortoiseMel.Compute(samples, melNorms));
            if (text.Length > model.MaxTextTokens || clipCodes.Length > model.MaxMelTokens)
            {
                log($"{e.ListFile}:{e.Line}: left out ({text.Length} text tokens, {clipCodes.Length} mel codes; the model takes {model.MaxTextTokens} and {model.MaxMelTokens})");
                continue;
            }
            result.Add(new ClipData(e.Audio, text, clipCodes, samples.Length, Conditioning(samples)));
            if ((i + 1) % 50 == 0 || i + 1 == entries.Count) log($"prepared {i + 1}/{entries.Count} {what} clips ({codes.Computed} encoded by the DVAE so far, the others read from its cache)");
        }
        return result;
    }

    private float[] Conditioning(float[] samples)
    {
        var start = Segment(samples, 0);
        var end = Segment(samples, Math.Max(0, samples.Length - ConditioningSamples));
        using var scope = NewDisposeScope();
        var mels = stack([TortoiseMel.Compute(start, melNorms), TortoiseMel.Compute(end, melNorms)]);
        return mels.contiguous().data<float>().ToArray();
    }

    private static float[] Segment(float[] samples, int from)
    {
        var s = new float[ConditioningSamples];
        Array.Copy(samples, from, s, 0, Math.Min(ConditioningSamples, samples.Length - from));
        return s;
    }
}
