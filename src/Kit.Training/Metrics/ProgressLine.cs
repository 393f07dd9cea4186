using System.Globalization;
using System.Text;

namespace Kit.Training.Metrics;

/// <summary>The PrintFreq line: "step 120 | epoch 3 | loss 0.532 (mel 0.41, stop 0.12) | lr 1.0e-03 | 2.31 steps/s | 74 samples/s | next save in 0:35".</summary>
public static class ProgressLine
{
    public static string Format(long step, int epoch, IReadOnlyDictionary<string, double> losses, double learningRate,
        double stepsPerSecond, double samplesPerSecond, long stepsToNextSave)
    {
        var c = CultureInfo.InvariantCulture;
        var line = new StringBuilder();
        line.Append(c, $"step {step} | epoch {epoch}");
        if (losses.TryGetValue(MetricNames.TotalLoss, out var total)) line.Append(c, $" | loss {total:0.0000}");
        var parts = losses.Where(kv => kv.Key != MetricNames.TotalLoss).Select(kv => string.Create(c, $"{kv.Key} {kv.Value:0.0000}")).ToList();
        if (parts.Count > 0) line.Append(" (").AppendJoin(", ", parts).Append(')');
        line.Append(c, $" | lr {learningRate:0.0e+00} | {stepsPerSecond:0.00} steps/s | {samplesPerSecond:0.0} samples/s");
        if (stepsToNextSave > 0 && stepsPerSecond > 0)
            line.Append(" | next save in ").Append(Duration(TimeSpan.FromSeconds(stepsToNextSave / stepsPerSecond)));
        return line.ToString();
    }

    public static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}" : $"{t.Minutes}:{t.Seconds:00}";
}
