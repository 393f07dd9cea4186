using System.Diagnostics;

namespace Kit.Training.Metrics;

/// <summary>
/// Averages the named losses over the steps since the window started (the last print line), and the speed over
/// the same span of wall time: everything the run did meanwhile counts (steps, metrics, the display, validation,
/// checkpoints), as a person watching it sees. Summing only the steps' own time made a model whose step takes
/// microseconds report tens of thousands of steps per second while it trained a few dozen steps a second.
/// </summary>
public sealed class ProgressWindow
{
    private readonly Dictionary<string, (double Sum, int Count)> _losses = new(StringComparer.Ordinal);
    private readonly Func<double> _clock;
    private double _start;
    private long _samples;
    private int _steps;

    /// <param name="clock">Seconds from any fixed origin (tests pass their own); a monotonic clock by default.</param>
    public ProgressWindow(Func<double>? clock = null)
    {
        _clock = clock ?? (() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
        _start = _clock();
    }

    public void Add(IReadOnlyDictionary<string, double> losses, int samples)
    {
        foreach (var (name, value) in losses)
        {
            _losses.TryGetValue(name, out var acc);
            _losses[name] = (acc.Sum + value, acc.Count + 1);
        }
        _samples += samples;
        _steps++;
    }

    public int Steps => _steps;

    /// <summary>Wall seconds since the window started.</summary>
    public double Seconds => Math.Max(0, _clock() - _start);

    public double StepsPerSecond => Rate(_steps);
    public double SamplesPerSecond => Rate(_samples);

    private double Rate(double count)
    {
        var seconds = Seconds;
        return count > 0 && seconds > 0 ? count / seconds : 0;
    }

    public IReadOnlyDictionary<string, double> Averages() =>
        _losses.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count, StringComparer.Ordinal);

    /// <summary>A new window from now.</summary>
    public void Reset()
    {
        _losses.Clear();
        _samples = 0;
        _steps = 0;
        _start = _clock();
    }
}
