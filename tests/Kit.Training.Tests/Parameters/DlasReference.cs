using System.Text.Json;
using Kit.TestSupport;

namespace Kit.Training.Tests.Parameters;

/// <summary>
/// An independent implementation of DLAS's param_calc.py rules (from the field notes' description, not from
/// the kit's C#), run with /usr/bin/python3, to compare the "dlas" profile against.
/// </summary>
internal static class DlasReference
{
    private const string Script = """
import json, sys

def spillover(n, bs):
    steps, rem = divmod(n, bs)
    if 2 * steps > bs or rem == 0:
        return bs
    if 2 * rem < bs:
        return n // steps
    return n // (steps + 1)

def calc(n_train, n_val, same_file, val_default):
    warnings = []
    if same_file: warnings.append("same-file")
    if n_train < 128: warnings.append("small-train")
    if n_val < 20: warnings.append("small-val")
    if n_train < 64: warnings.append("train-below-batch")
    train_bs = n_train if n_train < 64 else spillover(n_train, 64)
    val_bs = n_val if n_val < val_default else spillover(n_val, val_default)
    spe = n_train // train_bs
    first = 20
    decay = [spe * first, spe * first * 2, spe * int(first * 2.8), spe * int(first * 3.6)]
    print_freq = min(100, max(20, spe))
    return {"TrainBS": train_bs, "ValBS": val_bs, "LRDecaySteps": decay, "PrintFreq": print_freq,
            "ValFreq": print_freq * 3, "SaveCheckpointFreq": print_freq * 3, "StepsPerEpoch": spe,
            "Warnings": warnings}

cases = json.loads(sys.argv[1])
print(json.dumps([calc(*c) for c in cases]))
""";

    public sealed record Result(int TrainBS, int ValBS, int[] LRDecaySteps, int PrintFreq, int ValFreq,
                                int SaveCheckpointFreq, int StepsPerEpoch, string[] Warnings);

    public static IReadOnlyList<Result> Calculate(IEnumerable<(int Train, int Val, bool SameFile, int ValDefault)> cases)
    {
        var json = JsonSerializer.Serialize(cases.Select(c => new object[] { c.Train, c.Val, c.SameFile, c.ValDefault }));
        var output = ReferencePython.Run(Script, json);
        return JsonSerializer.Deserialize<Result[]>(output)!;
    }
}
