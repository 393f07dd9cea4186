using System.Globalization;
using System.Text;
using Kit.Display.Charts;
using Kit.Training.Metrics;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// The run's validations as they come, read from its metrics.jsonl: a table row per validation (free-running
/// `dev_free/…` measures when the recipe writes them, the teacher-forced `dev_epoch/…` losses always), kept
/// for validations.tsv and the curve's PNG.
/// </summary>
internal sealed class VoiceBenchmarkCurve(string metricsPath, DateTime trainingStarted)
{
    /// <summary>The free-running measures, in the order the table shows them.</summary>
    public static readonly string[] FreeRunning =
        ["dev_free/mcd_db", "dev_free/mcd_sl_db", "dev_free/band_mass", "dev_free/monotonic", "dev_free/skipped_tokens", "dev_free/max_jump", "dev_free/length_ratio", "dev_free/stop_fired"];

    private static readonly string[] TeacherForced = ["dev_epoch/loss", "dev_epoch/post_spectrogram_loss"];

    private readonly List<(long Step, double Minutes, IReadOnlyDictionary<string, double> Values)> _rows = [];
    private string[]? _columns;

    public IReadOnlyList<string> Columns => _columns ?? [];
    public int Count => _rows.Count;

    /// <summary>Table lines for the validations written since the last call (the header before the first row).</summary>
    public IEnumerable<string> ReadNew()
    {
        if (!File.Exists(metricsPath)) yield break;
        var fresh = MetricsLog.Read(metricsPath).Where(r => r.Kind == "validation").Skip(_rows.Count).ToList();
        foreach (var record in fresh)
        {
            if (_columns is null)
            {
                _columns = FreeRunning.Concat(TeacherForced).Where(record.Values.ContainsKey).ToArray();
                yield return Header();
            }
            var time = record.Json["time"] is { } t ? DateTime.Parse((string)t!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : DateTime.UtcNow;
            _rows.Add((record.Step, (time - trainingStarted).TotalMinutes, record.Values));
            yield return Row(_rows[^1]);
        }
    }

    /// <summary>The last row's value of <paramref name="column"/>, NaN when absent.</summary>
    public double Last(string column) => _rows.Count == 0 ? double.NaN : _rows[^1].Values.GetValueOrDefault(column, double.NaN);

    private string Header() =>
        $"{"step",8} {"minutes",8}" + string.Concat(Columns.Select(c => $" {Short(c),14}"));

    private string Row((long Step, double Minutes, IReadOnlyDictionary<string, double> Values) row) =>
        $"{row.Step,8} {row.Minutes,8:0.0}" + string.Concat(Columns.Select(c => $" {row.Values.GetValueOrDefault(c, double.NaN),14:0.0000}"));

    /// <summary>"dev_free/mcd_db" → "free mcd_db", "dev_epoch/loss" → "tf loss": the table's column names.</summary>
    private static string Short(string column) =>
        column.StartsWith("dev_free/", StringComparison.Ordinal) ? "free " + column["dev_free/".Length..]
        : column.StartsWith("dev_epoch/", StringComparison.Ordinal) ? "tf " + column["dev_epoch/".Length..].Replace("post_spectrogram_loss", "post_loss") : column;

    /// <summary>Every row, tab-separated with the full metric names.</summary>
    public void WriteTsv(string path)
    {
        var text = new StringBuilder("step\tminutes\t").AppendJoin('\t', Columns).Append('\n');
        foreach (var row in _rows)
            text.Append(row.Step).Append('\t').Append(row.Minutes.ToString("0.00", CultureInfo.InvariantCulture))
                .Append(string.Concat(Columns.Select(c => "\t" + row.Values.GetValueOrDefault(c, double.NaN).ToString("R", CultureInfo.InvariantCulture))))
                .Append('\n');
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// The curve as a PNG against training minutes: the free-running MCD when the recipe measures it, the
    /// teacher-forced losses otherwise; null when there is no validation to draw.
    /// </summary>
    public string? WritePng(string path, string title)
    {
        if (_rows.Count == 0) return null;
        string[] free = ["dev_free/mcd_db", "dev_free/mcd_sl_db"];
        var metrics = Columns.Contains(free[0]) ? free.Where(Columns.Contains).ToArray() : Columns.Where(TeacherForced.Contains).ToArray();
        var chart = new LineChart(title, "training minutes", Columns.Contains(free[0]) ? "free-running MCD (dB)" : "validation loss") { Width = 800, Height = 450 };
        // Short legend names: the chart's legend has room for about fifteen characters.
        string Legend(string metric) => metric switch { "dev_free/mcd_db" => "MCD-DTW", "dev_free/mcd_sl_db" => "length-weighted", _ => metric };
        foreach (var metric in metrics)
            chart.Add(Legend(metric), _rows.Select(r => r.Minutes), _rows.Select(r => r.Values.GetValueOrDefault(metric, double.NaN)));
        using var scene = chart.DrawScene();
        File.WriteAllBytes(path, PngRasterizer.Encode(scene));
        return path;
    }
}
