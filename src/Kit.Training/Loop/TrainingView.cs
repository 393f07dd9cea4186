using System.Globalization;
using System.Net;
using Kit.Display;
using Kit.Display.Charts;
using Kit.Display.Live;
using Kit.Training.Metrics;

namespace Kit.Training.Loop;

/// <summary>
/// The notebook's live view of a run: loss curves (train and validation) redrawn in place, the free-running
/// curves (MCD, and the attention's diagonal share) once a recipe reports them, the step, speed and
/// the last checkpoint's time; and the latest validation's samples (audio players and images, see
/// <see cref="ValidationSamples"/>). Show it with <c>run.Display.Bind(display(run.Display))</c>: the samples get
/// an output of their own below it, redrawn only when a validation brings new ones, so the view's frequent
/// redraws carry the status and the curves' data only (a few KB) however large the samples are. Where no second
/// output can be made (a handle that is not the kernel's, or the view rendered as a plain value), the samples
/// are part of the view's own output.
/// </summary>
public sealed class TrainingView : LiveDisplay
{
    private const string TrainSeries = "train loss";
    private const string ValidationSeries = "validation loss";

    private readonly object _gate = new();
    private LineChart _chart = NewChart();
    private LineChart _mcd = NewMcdChart(), _alignment = NewAlignmentChart();
    private bool _hasFreeRunning;

    /// <summary>The free-running measures drawn over steps (dev_free/NAME): MCD on one chart, the alignment's shares on another.</summary>
    internal static IReadOnlyList<string> FreeRunningCurves { get; } = [FreeRunningMetrics.McdDb, FreeRunningMetrics.McdSlDb, FreeRunningMetrics.BandMass, FreeRunningMetrics.Monotonic];
    private TrainingStatus _status = new();
    private readonly ValidationSamples _samples = new();
    private volatile bool _samplesBeside;

    public TrainingStatus Status { get { lock (_gate) return _status; } }

    /// <summary>The latest validation's samples: their own live display (see the class summary).</summary>
    public ValidationSamples Samples => _samples;

    /// <summary>
    /// The most sample bytes (all of one validation's files together) embedded in the HTML; files past it are
    /// shown by path. A saved notebook keeps the last set, beside one copy of plotly.js: a few MB at most.
    /// </summary>
    public long MaxEmbeddedSampleBytes
    {
        get => _samples.MaxEmbeddedBytes;
        set => _samples.MaxEmbeddedBytes = value;
    }

    /// <summary>The samples' output goes right below the view's, made in the same cell.</summary>
    protected override void OnBound(object handle) => _samplesBeside = ShowBeside(handle, _samples);

    /// <summary>
    /// Redraws the view and the samples' output with their final state: a headless run (dotnet-repl) records only
    /// the redraws made while a cell runs, so the cell that ends the run (its Complete()) records both.
    /// </summary>
    public override void Complete()
    {
        base.Complete();
        if (_samplesBeside && _samples.Step is not null) _samples.Complete();
    }

    internal void AddTrain(long step, double loss) => Append(TrainSeries, step, loss);
    internal void AddValidation(long step, double loss) => Append(ValidationSeries, step, loss);

    /// <summary>One free-running value (dev_free/NAME) at a validation step.</summary>
    internal void AddFreeRunning(string name, long step, double value)
    {
        if (!double.IsFinite(value)) return;
        var measure = name.StartsWith(MetricNames.FreeRunningPrefix, StringComparison.Ordinal) ? name[MetricNames.FreeRunningPrefix.Length..] : name;
        lock (_gate)
        {
            if (measure == FreeRunningMetrics.McdDb) _mcd.Append("free-running MCD", step, value);
            if (measure == FreeRunningMetrics.McdSlDb) _mcd.Append("length-weighted MCD", step, value);
            else if (measure == FreeRunningMetrics.BandMass) _alignment.Append("near the diagonal", step, value);
            else if (measure == FreeRunningMetrics.Monotonic) _alignment.Append("monotonic steps", step, value);
            else return;
            _hasFreeRunning = true;
        }
        Changed();
    }

    internal void ClearCurves()
    {
        lock (_gate)
        {
            _chart = NewChart();
            _mcd = NewMcdChart();
            _alignment = NewAlignmentChart();
            _hasFreeRunning = false;
        }
    }

    /// <summary>The files one validation wrote: the samples' output redraws once; the view only when it shows them itself.</summary>
    internal void AddSamples(IReadOnlyList<string> paths)
    {
        _samples.AddSet(paths, Status.Step);
        if (!_samplesBeside) Changed();
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
        var samples = _samplesBeside ? "" : _samples.ToString();
        return samples.Length == 0 ? StatusLine() : StatusLine() + "\n" + samples;
    }

    private string StatusLine()
    {
        var s = Status;
        var c = CultureInfo.InvariantCulture;
        var line = string.Create(c, $"{s.State}: step {s.Step}, epoch {s.Epoch}, {s.StepsPerSecond:0.00} steps/s, {s.SamplesPerSecond:0.0} samples/s");
        if (s.LastTrainLosses.TryGetValue("loss", out var loss)) line += string.Create(c, $", loss {loss:0.0000}");
        if (s.LastValidationLosses.TryGetValue("loss", out var val)) line += string.Create(c, $", validation loss {val:0.0000}");
        if (s.LastFreeRunning.TryGetValue(FreeRunningMetrics.McdDb, out var mcd)) line += string.Create(c, $", free-running MCD {mcd:0.00} dB");
        if (s.LastFreeRunning.TryGetValue(FreeRunningMetrics.BandMass, out var band)) line += string.Create(c, $", attention near the diagonal {band * 100:0}%");
        line += s.LastCheckpointStep is { } ck
            ? string.Create(c, $", last checkpoint step {ck} at {s.LastCheckpointUtc?.ToLocalTime():HH:mm:ss}")
            : ", no checkpoint yet";
        if (s.SkippedNonFiniteSteps > 0) line += $", {s.SkippedNonFiniteSteps} non-finite steps skipped";
        if (s.StopReason is { } r) line += $" — {r}";
        if (s.Error is { } e) line += $" — failed: {e}";
        return line;
    }

    /// <summary>HTML (status, the chart's data and its static SVG) and text: the MIME types the kernel shows it in.</summary>
    public override IReadOnlyList<Rendering> Render()
    {
        string chartHtml;
        lock (_gate) chartHtml = _chart.ToHtml() + (_hasFreeRunning ? _mcd.ToHtml() + _alignment.ToHtml() : "");
        var sampleHtml = _samplesBeside || _samples.Step is null ? "" : _samples.Render()[0].Content;
        var html = $"<div class=\"kit-training\"><div>{WebUtility.HtmlEncode(StatusLine())}</div>{chartHtml}{sampleHtml}</div>";
        return [new Rendering(Rendering.Html, html), new Rendering(Rendering.Text, ToString())];
    }

    private static LineChart NewChart() => new("loss", "step", "loss");
    private static LineChart NewMcdChart() => new("free-running MCD-DTW (the model speaking validation lines on its own)", "step", "dB");
    private static LineChart NewAlignmentChart() => new("free-running attention", "step", "share");
}
