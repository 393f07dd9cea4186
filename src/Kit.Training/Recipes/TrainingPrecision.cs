namespace Kit.Training.Recipes;

/// <summary>The run config's <c>precision</c>: what the forward runs in. Auto follows the Fp16 parameter and the device.</summary>
public enum TrainingPrecision { Auto, Fp32, Bf16, Fp16 }

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
    public static string Name(TrainingPrecision p) => p.ToString().ToLowerInvariant();

    /// <summary>Reads "auto", "fp32", "bf16" or "fp16" (any case); anything else is refused naming the value.</summary>
    public static TrainingPrecision Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => TrainingPrecision.Auto,
        "fp32" or "float32" => TrainingPrecision.Fp32,
        "bf16" or "bfloat16" => TrainingPrecision.Bf16,
        "fp16" or "float16" or "half" => TrainingPrecision.Fp16,
        _ => throw new ArgumentException($"precision '{text}' is not one the kit knows: use auto, fp32, bf16 or fp16"),
    };

    /// <summary>
    /// The precision for one run on this device. fp32 unless asked: <c>Fp16: true</c> (DLAS's flag) means
    /// "half precision where the device supports it", which on a GPU is bf16 when it computes in bf16
    /// (Ampere or newer: fp32's range, no loss scaling) and fp16 with a GradScaler otherwise, and on a CPU
    /// fp32 (CPU bf16 is mostly slower than fp32 and changes the numbers). An explicit bf16 is honoured on a
    /// CPU; fp16 is refused there (libtorch's CPU autocast has no fp16).
    /// </summary>
    public static ResolvedPrecision Resolve(TrainingPrecision asked, bool fp16Parameter, bool cuda, bool bf16Supported)
    {
        switch (asked)
        {
            case TrainingPrecision.Fp32:
                return new(TrainingPrecision.Fp32, "precision: fp32 in the run config");
            case TrainingPrecision.Bf16:
                if (cuda && !bf16Supported)
                    throw new ArgumentException("precision bf16: this GPU does not compute in bfloat16 (compute capability 8.0 or newer does); use fp16 or auto");
                return new(TrainingPrecision.Bf16, $"precision: bf16 in the run config, bf16 autocast on the {(cuda ? "GPU" : "CPU")}");
            case TrainingPrecision.Fp16:
                if (!cuda)
                    throw new ArgumentException("precision fp16 needs a CUDA GPU: libtorch's CPU autocast has no fp16; use bf16 or fp32 on the CPU");
                return new(TrainingPrecision.Fp16, "precision: fp16 in the run config, fp16 autocast with loss scaling");
            default:
                if (!fp16Parameter) return new(TrainingPrecision.Fp32, "the default; Fp16: true or precision: bf16 asks for half precision");
                if (!cuda) return new(TrainingPrecision.Fp32, "Fp16 asks for half precision, but this is a CPU: training in fp32 (precision: bf16 forces bf16 autocast)");
                return bf16Supported
                    ? new(TrainingPrecision.Bf16, "Fp16 on a GPU that computes in bf16: bf16 autocast, no loss scaling needed")
                    : new(TrainingPrecision.Fp16, "Fp16 on a GPU without bf16: fp16 autocast with loss scaling");
        }
    }
}
