namespace Kit.Data.Audio;

/// <summary>
/// Measures <see cref="AudioLevels"/> one 10 ms frame at a time, so a decoder can feed it from a small
/// buffer that stays in cache instead of decoding a whole clip first (the dataset check's hot path).
/// </summary>
public sealed class LevelMeter
{
    private readonly int _channels;
    private readonly int _sampleRate;
    private readonly int[] _runs;
    private readonly List<float> _frameEnergy = new(1024);
    private double _sumSquares;
    private long _samples;
    private float _peak, _loudest;
    private int _clippedRuns;
    private bool _inRun;

    public LevelMeter(int channels, int sampleRate)
    {
        _channels = channels;
        _sampleRate = sampleRate;
        _runs = new int[channels];
    }

    /// <summary>The interleaved samples to pass to each <see cref="Add"/> (the last call may pass fewer).</summary>
    public int FrameSamples => AudioLevels.FrameSamples(_channels, _sampleRate);

    public void Add(ReadOnlySpan<float> frame)
    {
        var (energy, peak) = AudioLevels.EnergyAndPeak(frame);
        _sumSquares += energy;
        _samples += frame.Length;
        if (peak > _peak) _peak = peak;
        if (frame.Length == FrameSamples)
        {
            float mean = energy / frame.Length;
            _frameEnergy.Add(mean);
            if (mean > _loudest) _loudest = mean;
        }
        // Only frames that reach full scale need the per-sample scan; any other frame ends every run.
        if (peak >= AudioLevels.FullScale)
        {
            _clippedRuns += AudioLevels.CountClippedRuns(frame, _channels, _runs);
            _inRun = true;
        }
        else if (_inRun)
        {
            Array.Clear(_runs);
            _inRun = false;
        }
    }

    public AudioLevels Finish()
    {
        if (_samples == 0) return new AudioLevels(0, 0, -200, 0, 0);
        double rmsDb = 10 * Math.Log10(Math.Max(_sumSquares / _samples, 1e-20));
        double threshold = Math.Max(_loudest * Math.Pow(10, -AudioLevels.SilenceBelowLoudestDb / 10), Math.Pow(10, AudioLevels.SilenceFloorDb / 10));
        int frames = _frameEnergy.Count;
        int lead = 0;
        while (lead < frames && _frameEnergy[lead] < threshold) lead++;
        int trail = 0;
        while (trail < frames - lead && _frameEnergy[frames - 1 - trail] < threshold) trail++;
        double frameSeconds = (double)FrameSamples / _channels / _sampleRate;
        return new AudioLevels(_peak, _clippedRuns, rmsDb, lead * frameSeconds, trail * frameSeconds);
    }
}
