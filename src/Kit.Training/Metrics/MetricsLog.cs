using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kit.Training.Metrics;

/// <summary>
/// metrics.jsonl in the run folder: one JSON object per line, e.g.
/// {"kind":"train","step":120,"epoch":3,"time":"…","train/loss":0.53,"lr":0.001}. Each line is flushed as
/// it is written, so a crash loses at most the line being written (and a torn last line is skipped on read).
/// </summary>
public sealed class MetricsLog : IDisposable
{
    public const string FileName = "metrics.jsonl";

    private readonly StreamWriter _writer;

    /// <summary>
    /// Opens the log for appending. When resuming from <paramref name="resumeStep"/>, lines after that step
    /// are dropped first: the resumed run trains those steps again and would otherwise log them twice.
    /// </summary>
    public MetricsLog(string runDirectory, long? resumeStep = null)
    {
        Path = System.IO.Path.Combine(runDirectory, FileName);
        if (resumeStep is { } keepUpTo && File.Exists(Path))
        {
            var kept = Read(Path).Where(r => r.Step <= keepUpTo).Select(r => r.Json.ToJsonString());
            Checkpoints.AtomicFile.WriteAllText(Path, string.Concat(kept.Select(l => l + "\n")));
        }
        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false));
    }

    public string Path { get; }

    public void Append(string kind, long step, int epoch, IEnumerable<KeyValuePair<string, double>> values)
    {
        var line = new StringBuilder();
        line.Append("{\"kind\":").Append(JsonSerializer.Serialize(kind))
            .Append(",\"step\":").Append(step.ToString(CultureInfo.InvariantCulture))
            .Append(",\"epoch\":").Append(epoch.ToString(CultureInfo.InvariantCulture))
            .Append(",\"time\":\"").Append(DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)).Append('"');
        foreach (var (name, value) in values)
        {
            line.Append(',').Append(JsonSerializer.Serialize(name)).Append(':');
            // JSON has no NaN/Infinity: a non-finite value is written as null and read back as NaN.
            line.Append(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "null");
        }
        line.Append('}');
        lock (_writer)
        {
            Checkpoints.DiskLimit.EnsureFits(Path, line.Length + 1);
            _writer.Write(line.Append('\n').ToString());
            _writer.Flush();
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Reads a metrics.jsonl; a line that does not parse (a torn last line after a crash) is skipped.</summary>
    public static IEnumerable<MetricRecord> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonObject? json;
            try { json = JsonNode.Parse(line) as JsonObject; }
            catch (JsonException) { continue; }
            if (json is null || json["step"] is null) continue;
            var values = new Dictionary<string, double>();
            foreach (var (key, node) in json)
            {
                if (key is "kind" or "step" or "epoch" or "time") continue;
                values[key] = node is null ? double.NaN : node.GetValue<double>();
            }
            yield return new MetricRecord((string?)json["kind"] ?? "", (long)json["step"]!, (int?)json["epoch"] ?? 0, values, json);
        }
    }
}

public sealed record MetricRecord(string Kind, long Step, int Epoch, IReadOnlyDictionary<string, double> Values, JsonObject Json);
