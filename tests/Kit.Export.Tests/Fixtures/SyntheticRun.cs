using Kit.Training.Metrics;
using System.Text;
using System.Text.Json;
using Kit.Training.Checkpoints;
using Kit.Export;

namespace Kit.Export.Tests.Fixtures;

/// <summary>A run folder written exactly as the contract in RunFolder.cs says, with random weights and a real WAV.</summary>
public static class SyntheticRun
{
    public static RunFolder Create(string root, int weightBytes = 300_000, int stateBytes = 200_000, long bestStep = 100, int seed = 1)
    {
        var rng = new Random(seed);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, CheckpointFiles.ConfigFile), "name: test-voice\nbatch_size: 8\nlr: 0.0001\n");
        File.WriteAllText(Path.Combine(root, CheckpointFiles.SettingsFile), "{\"sample_rate\": 22050}\n");
        var metrics = new StringBuilder();
        for (int step = 10; step <= 200; step += 10)
            metrics.Append($"{{\"step\": {step}, \"train_loss\": {1.0 / step:F6}, \"val_loss\": {1.5 / step:F6}}}\n");
        File.WriteAllText(Path.Combine(root, MetricsLog.FileName), metrics.ToString());
        foreach (var step in new long[] { 100, 200 })
        {
            var dir = Path.Combine(root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.StepFolderName(step));
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), Bytes(rng, weightBytes));
            File.WriteAllBytes(Path.Combine(dir, "model.pth"), Bytes(rng, weightBytes / 3));
            File.WriteAllBytes(Path.Combine(dir, CheckpointFiles.TrainingState), Bytes(rng, stateBytes));
            WriteTrainerManifest(dir, step);
        }
        File.WriteAllText(Path.Combine(root, CheckpointFiles.CheckpointsFolder, CheckpointFiles.BestFile),
            $"{{\"step\": {bestStep}, \"val_loss\": 0.015}}");
        Directory.CreateDirectory(Path.Combine(root, CheckpointFiles.SamplesFolder));
        foreach (var step in new long[] { 100, 200 })
            for (int i = 0; i < 2; i++)
                WriteWav(Path.Combine(root, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(step)}-{i}.wav"), 220 * (i + 1), 0.25);
        Directory.CreateDirectory(Path.Combine(root, CheckpointFiles.PlotsFolder));
        File.WriteAllText(Path.Combine(root, CheckpointFiles.PlotsFolder, "loss.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        return new RunFolder(root);
    }

    /// <summary>The trainer's manifest.json of a step folder, as CheckpointStore writes it last in every save.</summary>
    public static void WriteTrainerManifest(string stepDir, long step)
    {
        var files = Directory.GetFiles(stepDir).Select(Path.GetFileName).Where(n => n != CheckpointManifest.FileName).Order(StringComparer.Ordinal)
            .Select(n => CheckpointManifest.Describe(stepDir, n!)).ToList();
        File.WriteAllText(Path.Combine(stepDir, CheckpointManifest.FileName),
            JsonSerializer.Serialize(new CheckpointManifest(CheckpointManifest.CurrentFormat, step, DateTime.UtcNow, files)));
    }

    public static byte[] Bytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>16-bit mono PCM at 22,050 Hz: a sine tone.</summary>
    public static void WriteWav(string path, double hz, double seconds)
    {
        const int rate = 22050;
        int n = (int)(rate * seconds);
        using var w = new BinaryWriter(File.Create(path));
        w.Write("RIFF"u8); w.Write(36 + n * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(rate); w.Write(rate * 2); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(n * 2);
        for (int i = 0; i < n; i++) w.Write((short)(Math.Sin(2 * Math.PI * hz * i / rate) * 8000));
    }
}
