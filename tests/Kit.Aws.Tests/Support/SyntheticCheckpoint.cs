using System.Security.Cryptography;

namespace Kit.Aws.Tests.Support;

/// <summary>A checkpoint folder as a trainer would save it: model weights, optimizer state, a small JSON.</summary>
public static class SyntheticCheckpoint
{
    public static string Write(string root, long step, int weightBytes = 200_000)
    {
        var dir = Path.Combine(root, $"step_{step}");
        Directory.CreateDirectory(Path.Combine(dir, "optimizer"));
        var rng = new Random((int)step);
        var weights = new byte[weightBytes];
        rng.NextBytes(weights);
        File.WriteAllBytes(Path.Combine(dir, "model.pth"), weights);
        var state = new byte[weightBytes / 2];
        rng.NextBytes(state);
        File.WriteAllBytes(Path.Combine(dir, "optimizer", "adam.pth"), state);
        File.WriteAllText(Path.Combine(dir, "trainer.json"), $"{{\"step\": {step}}}");
        return dir;
    }

    /// <summary>Relative path → SHA-256 of every file under a folder.</summary>
    public static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}
