using System.CommandLine;

namespace Kit.Cli.Commands;

/// <summary>
/// `--fp16`, shared by the commands that train: the run config's one precision setting, the parameter Fp16, for
/// this run. `--precision` (older kits' name for it) still works.
/// </summary>
internal static class PrecisionOption
{
    public static Option<string?> Create() => new("--fp16", "--precision")
    {
        Description = "Fp16 for this run: false (fp32), true (half precision where the GPU does it well: bf16 or fp16 with loss scaling; fp32 on a CPU), bf16 (GPU or CPU) or fp16 (GPU)",
    };
}
