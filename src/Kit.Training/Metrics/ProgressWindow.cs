namespace Kit.Training.Metrics;

/// <summary>
/// Averages the named losses over the steps since the last print line, and the speed over the same span.
/// </summary>
public sealed class ProgressWindow
{
    private readonly Dictionary<string, (double Sum, int Count)> _losses = new(StringComparer.Ordinal);
    private long _samples;
    private int _steps;
    private double _seconds;

    public void Add(IReadOnlyDictionary<string, double> losses, int samples, double seconds)
    {
        foreach (var (name, value) in losses)
        {
            _losses.TryGetValue(name, out var acc);
            _losses[name] = (acc.Sum + value, acc.Count + 1);
        }
        _samples += samples;
        _steps++;
        _seconds += seconds;
    }

    /// <summary>Time a step spent after its losses were known (metrics, display, print line): part of the speed
    /// a person sees, and all of it for models whose step takes microseconds.</summary>
    public void AddSeconds(double seconds) => _seconds += seconds;

    public int Steps => _steps;
    public double StepsPerSecond => _seconds > 0 ? _steps / _seconds : 0;
    public double SamplesPerSecond => _seconds > 0 ? _samples / _seconds : 0;

    public IReadOnlyDictionary<string, double> Averages() =>
        _losses.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count, StringComparer.Ordinal);

    public void Reset()
    {
        _losses.Clear();
        _samples = 0;
        _steps = 0;
        _seconds = 0;
    }
}
