using System.CommandLine;

namespace Kit.Cli.Commands;

/// <summary>`--precision`, shared by the commands that train: it overrides the run config's precision key.</summary>
internal static class PrecisionOption
{
    public static Option<string?> Create() => new("--precision")
    {
        Description = "auto (the run config's Fp16 and the device decide), fp32, bf16 (GPU or CPU) or fp16 (GPU, with loss scaling)",
    };
}
