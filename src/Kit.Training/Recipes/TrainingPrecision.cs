namespace Kit.Training.Recipes;

/// <summary>
/// The run's one precision setting, the parameter <c>Fp16</c>. It keeps the name the Colab form's checkbox and
/// DLAS's <c>fp16:</c> key give it, because that is what users of the original toolchain write (run.yml,
/// <c>kit params --set</c>, a notebook's parameters cell), and <c>true</c> keeps meaning what they meant: half
/// precision where the GPU does it well. A yes/no cannot force bf16 (a CPU, or a GPU run that must match another),
/// so the same setting also takes <c>bf16</c> or <c>fp16</c>. Older kits had a second key, <c>precision:</c>,
/// which <see cref="Config.RunConfigFile"/> still reads into this one, saying so.
/// </summary>
public enum TrainingPrecision
{
    /// <summary><c>Fp16: false</c>: fp32, the default.</summary>
    Fp32,
    /// <summary><c>Fp16: true</c>: bf16 autocast on a GPU that computes in bf16, fp16 with loss scaling on an older GPU, fp32 on a CPU.</summary>
    Half,
    /// <summary><c>Fp16: bf16</c>: bf16 autocast, on the CPU too.</summary>
    Bf16,
    /// <summary><c>Fp16: fp16</c>: fp16 autocast with loss scaling; a GPU only.</summary>
    Fp16,
}

/// <summary>The precision a run trains in, and why (one line for the log).</summary>
public sealed record ResolvedPrecision(TrainingPrecision Mode, string Reason)
{
    /// <summary>"fp32", "bf16" or "fp16", as the checkpoint and metrics record it.</summary>
    public string Name => Precisions.Name(Mode);

    public bool UsesAutocast => Mode is TrainingPrecision.Bf16 or TrainingPrecision.Fp16;

    /// <summary>fp16's narrow exponent underflows small gradients: it trains with loss scaling; bf16 has fp32's range and does not.</summary>
    public bool UsesGradScaler => Mode == TrainingPrecision.Fp16;

    public override string ToString() => $"{Name} ({Reason})";
}

public static class Precisions
{
    public const string Expected = "expected true or false (half precision where the GPU does it well, or fp32), or bf16 or fp16 to force that autocast";

    /// <summary>"fp32", "bf16" or "fp16": what a resolved precision is recorded as.</summary>
    public static string Name(TrainingPrecision p) => p.ToString().ToLowerInvariant();

    /// <summary>The setting as run.yml and the parameters table write it: <c>false</c>, <c>true</c>, <c>bf16</c> or <c>fp16</c>.</summary>
    public static object Written(TrainingPrecision p) => p switch
    {
        TrainingPrecision.Fp32 => false,
        TrainingPrecision.Half => true,
        _ => Name(p),
    };

    /// <summary>Reads the Fp16 setting (any case): true/false (and yes/no, on/off, 1/0, fp32), bf16 or fp16; anything else is refused naming the value.</summary>
    public static TrainingPrecision Parse(object? value) => value switch
    {
        bool b => b ? TrainingPrecision.Half : TrainingPrecision.Fp32,
        TrainingPrecision p => p,
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)?.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => TrainingPrecision.Half,
            "false" or "no" or "off" or "0" or "fp32" or "float32" => TrainingPrecision.Fp32,
            "bf16" or "bfloat16" => TrainingPrecision.Bf16,
            "fp16" or "float16" => TrainingPrecision.Fp16,
            _ => throw new ArgumentException($"Fp16 '{value}' is not one the kit knows: {Expected}"),
        },
    };

    /// <summary>
    /// An older run config's <c>precision:</c> key (auto, fp32, bf16, fp16) as the Fp16 setting: auto left the
    /// choice to the Fp16 parameter, so it gives <paramref name="fp16"/> back; the others forced a precision.
    /// </summary>
    public static TrainingPrecision FromOlderPrecisionKey(string? text, TrainingPrecision fp16) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => fp16,
        "fp32" or "float32" => TrainingPrecision.Fp32,
        "bf16" or "bfloat16" => TrainingPrecision.Bf16,
        "fp16" or "float16" or "half" => TrainingPrecision.Fp16,
        _ => throw new ArgumentException($"precision '{text}' is not one the kit knows (and precision: is now the parameter Fp16: {Expected})"),
    };

    /// <summary>
    /// The precision for one run on this device. fp32 unless asked: <c>Fp16: true</c> (DLAS's flag) means
    /// "half precision where the device supports it", which on a GPU is bf16 when it computes in bf16
    /// (Ampere or newer: fp32's range, no loss scaling) and fp16 with a GradScaler otherwise, and on a CPU
    /// fp32 (CPU bf16 is mostly slower than fp32 and changes the numbers). An explicit bf16 is honoured on a
    /// CPU; fp16 is refused there (libtorch's CPU autocast has no fp16).
    /// </summary>
    public static ResolvedPrecision Resolve(TrainingPrecision asked, bool cuda, bool bf16Supported)
    {
        switch (asked)
        {
            case TrainingPrecision.Fp32:
                return new(TrainingPrecision.Fp32, "the default, Fp16: false; Fp16: true or bf16 asks for half precision");
            case TrainingPrecision.Bf16:
                if (cuda && !bf16Supported)
                    throw new ArgumentException("Fp16: bf16: this GPU does not compute in bfloat16 (compute capability 8.0 or newer does); use fp16 or true");
                return new(TrainingPrecision.Bf16, $"Fp16: bf16 in the run config, bf16 autocast on the {(cuda ? "GPU" : "CPU")}");
            case TrainingPrecision.Fp16:
                if (!cuda)
                    throw new ArgumentException("Fp16: fp16 needs a CUDA GPU: libtorch's CPU autocast has no fp16; on the CPU use bf16 or fp32 (Fp16: false)");
                return new(TrainingPrecision.Fp16, "Fp16: fp16 in the run config, fp16 autocast with loss scaling");
            default:
                if (!cuda) return new(TrainingPrecision.Fp32, "Fp16 asks for half precision, but this is a CPU: training in fp32 (Fp16: bf16 forces bf16 autocast)");
                return bf16Supported
                    ? new(TrainingPrecision.Bf16, "Fp16 on a GPU that computes in bf16: bf16 autocast, no loss scaling needed")
                    : new(TrainingPrecision.Fp16, "Fp16 on a GPU without bf16: fp16 autocast with loss scaling");
        }
    }
}
