using System.Globalization;
using System.Net;
using Kit.Display;
using Kit.Display.Charts;
using Kit.Display.Live;

namespace Kit.Training.Trainer;

/// <summary>
/// The notebook's live view of a run: loss curves (train and validation) redrawn in place, the step, speed,
/// the last checkpoint's time and the latest validation's samples (audio players and images, see
/// <see cref="ValidationSamples"/>). Show it with <c>run.Display.Bind(display(run.Display))</c>.
/// </summary>
public sealed class TrainingView : LiveDisplay
{
    private const string TrainSeries = "train loss";
    private const string ValidationSeries = "validation loss";

    private readonly object _gate = new();
    private LineChart _chart = NewChart();
    private TrainingStatus _status = new();
    private readonly ValidationSamples _samples = new();

    public TrainingStatus Status { get { lock (_gate) return _status; } }

    /// <summary>
    /// The most sample bytes (all of one validation's files together) embedded in the HTML; files past it are
    /// shown by path. Every redraw resends them, so a few MB at most.
    /// </summary>
    public long MaxEmbeddedSampleBytes
    {
        get { lock (_gate) return _samples.MaxEmbeddedBytes; }
        set { lock (_gate) _samples.MaxEmbeddedBytes = value; }
    }

    internal void AddTrain(long step, double loss) => Append(TrainSeries, step, loss);
    internal void AddValidation(long step, double loss) => Append(ValidationSeries, step, loss);

    internal void ClearCurves()
    {
        lock (_gate) _chart = NewChart();
    }

    internal void AddSample(string path)
    {
        lock (_gate) _samples.Add(path, _status.Step);
        Changed();
    }

    internal void Update(TrainingStatus status)
    {
        lock (_gate) _status = status;
        if (status.State is TrainingState.Finished or TrainingState.Failed) Complete();
        else Changed();
    }

    private void Append(string series, long step, double loss)
    {
        if (!double.IsFinite(loss)) return;
        lock (_gate) _chart.Append(series, step, loss);
        Changed();
    }

    public override string ToString()
    {
        string samples;
        lock (_gate) samples = _samples.Text();
        return samples.Length == 0 ? StatusLine() : StatusLine() + "\n" + samples;
    }

    private string StatusLine()
    {
        var s = Status;
        var c = CultureInfo.InvariantCulture;
        var line = string.Create(c, $"{s.State}: step {s.Step}, epoch {s.Epoch}, {s.StepsPerSecond:0.00} steps/s, {s.SamplesPerSecond:0.0} samples/s");
        if (s.LastTrainLosses.TryGetValue("loss", out var loss)) line += string.Create(c, $", loss {loss:0.0000}");
        if (s.LastValidationLosses.TryGetValue("loss", out var val)) line += string.Create(c, $", validation loss {val:0.0000}");
        line += s.LastCheckpointStep is { } ck
            ? string.Create(c, $", last checkpoint step {ck} at {s.LastCheckpointUtc?.ToLocalTime():HH:mm:ss}")
            : ", no checkpoint yet";
        if (s.SkippedNonFiniteSteps > 0) line += $", {s.SkippedNonFiniteSteps} non-finite steps skipped";
        if (s.StopReason is { } r) line += $" — {r}";
        if (s.Error is { } e) line += $" — failed: {e}";
        return line;
    }

    public override IReadOnlyList<Rendering> Render()
    {
        IReadOnlyList<Rendering> chart;
        string sampleHtml;
        lock (_gate)
        {
            chart = _chart.Render();
            sampleHtml = _samples.Html();
        }
        var chartHtml = chart.FirstOrDefault(r => r.MimeType == Rendering.Html)?.Content
                        ?? chart.FirstOrDefault(r => r.MimeType == Rendering.Svg)?.Content ?? "";
        var html = $"<div class=\"kit-training\"><div>{WebUtility.HtmlEncode(StatusLine())}</div>{chartHtml}{sampleHtml}</div>";
        var text = ToString();
        var result = new List<Rendering> { new(Rendering.Html, html) };
        result.AddRange(chart.Where(r => r.MimeType is Rendering.Svg or Rendering.Png));
        result.Add(new Rendering(Rendering.Text, text));
        return result;
    }

    private static LineChart NewChart() => new("loss", "step", "loss");
}
