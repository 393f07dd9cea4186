using System.Security.Cryptography;
using Kit.Training.Checkpoints;

namespace Kit.Aws.Tests.Support;

/// <summary>
/// A checkpoint folder saved by the trainer's own <see cref="CheckpointStore"/> (its step-NNNNNNNNN name, its
/// manifest.json written last): model weights, training state, a small JSON, with made-up bytes.
/// </summary>
public static class SyntheticCheckpoint
{
    /// <summary>Saves into RUN/checkpoints/step-NNNNNNNNN and returns that folder (nothing is pruned).</summary>
    public static string Write(string runDir, long step, int weightBytes = 200_000)
    {
        var rng = new Random((int)step);
        var weights = new byte[weightBytes];
        rng.NextBytes(weights);
        var state = new byte[weightBytes / 2];
        rng.NextBytes(state);
        var saved = new CheckpointStore(runDir, keepLast: 1000).Save(step, validationLoss: null, expectedBytes: weights.Length + state.Length, w =>
        {
            w.Write(CheckpointFiles.InferenceWeights, s => s.Write(weights));
            w.Write(CheckpointFiles.TrainingState, s => s.Write(state));
            w.Write("trainer.json", s => s.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"step\": {step}}}")));
        });
        return saved.Folder;
    }

    /// <summary>Relative path → SHA-256 of every file under a folder.</summary>
    public static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}
