using Kit.Torch.Formats;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Audio;

/// <summary>
/// TorToiSe's per-band mel norms (its mel_norms.pth: one float tensor of 80 values). TorToiSe's and DLAS's
/// TorchMelSpectrogram divide the log mel by them, band by band, before the DVAE and the conditioning
/// encoder see it; weights trained that way expect mels scaled the same.
/// </summary>
public static class MelNorms
{
    public const string WhereToGetIt =
        "TorToiSe publishes mel_norms.pth next to tokenizer.json in https://github.com/neonbjb/tortoise-tts (tortoise/data/mel_norms.pth; " +
        "also at https://huggingface.co/jbetker/tortoise-tts-v2, tortoise/data/mel_norms.pth)";

    /// <summary>The norms as a float32 (80) tensor; the caller owns it.</summary>
    public static Tensor Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file (TorToiSe's mel_norms.pth)", path);
        var obj = Pth.Load(path);
        if (obj is not RawTensor raw || raw.DType is not (DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16)
            || raw.Shape is not [TortoiseMel.Bands])
            throw new InvalidDataException($"{path}: mel norms must be one float tensor of {TortoiseMel.Bands} values (TorToiSe's mel_norms.pth), "
                + $"but the file holds {Describe(obj)}");
        using var scope = NewDisposeScope();
        var norms = TensorFiles.FromRaw(raw).to(ScalarType.Float32);
        return scope.MoveToOuter(norms);
    }

    private static string Describe(object? obj) => obj is RawTensor t
        ? $"a {t.DType} tensor of shape [{string.Join(", ", t.Shape)}]"
        : $"a {PyRepr.TypeName(obj)} ({PyRepr.Of(obj, 1)})";
}
