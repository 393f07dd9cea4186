namespace Kit.Data.Audio;

/// <summary>
/// Band-limited sample-rate conversion: a Kaiser-windowed sinc low-pass evaluated as a polyphase filter.
/// Content above the lower of the two Nyquist frequencies is removed (aliasing would otherwise fold it back
/// into the speech band), which linear interpolation does not do.
/// </summary>
public sealed class Resampler
{
    /// <summary>Sinc zero crossings on each side of the centre; more is a sharper transition band.</summary>
    private const int ZeroCrossings = 24;
    /// <summary>Kaiser beta: about 90 dB stop-band attenuation.</summary>
    private const double Beta = 9.0;
    /// <summary>The pass band ends this fraction of the way to the lower Nyquist frequency.</summary>
    private const double Rolloff = 0.945;
    /// <summary>Above this many phase x tap coefficients the table is not worth its memory.</summary>
    private const long MaxTableSize = 1 << 22;

    private readonly int _up;     // L: output samples per input period
    private readonly int _down;   // M: input samples per output period
    private readonly int _taps;   // taps per output sample (even)
    private readonly double _cutoff;
    private readonly float[]? _table; // [phase * _taps + tap]

    public int InputRate { get; }
    public int OutputRate { get; }

    public Resampler(int inputRate, int outputRate)
    {
        if (inputRate <= 0) throw new ArgumentOutOfRangeException(nameof(inputRate));
        if (outputRate <= 0) throw new ArgumentOutOfRangeException(nameof(outputRate));
        InputRate = inputRate;
        OutputRate = outputRate;
        int g = Gcd(inputRate, outputRate);
        _up = outputRate / g;
        _down = inputRate / g;
        // Cut-off as a fraction of the input Nyquist frequency: lower it when the output rate is lower.
        _cutoff = Math.Min(1.0, (double)outputRate / inputRate) * Rolloff;
        int half = (int)Math.Ceiling(ZeroCrossings / _cutoff);
        _taps = 2 * half;
        if ((long)_up * _taps <= MaxTableSize)
        {
            _table = new float[_up * _taps];
            for (int p = 0; p < _up; p++)
                for (int j = 0; j < _taps; j++)
                    _table[p * _taps + j] = (float)Kernel((double)p / _up + (half - 1 - j));
        }
    }

    /// <summary>The number of output samples for <paramref name="inputLength"/> input samples.</summary>
    public int OutputLength(int inputLength) => (int)(((long)inputLength * _up + _down - 1) / _down);

    public float[] Process(ReadOnlySpan<float> input)
    {
        if (_up == _down) return input.ToArray();
        var output = new float[OutputLength(input.Length)];
        int half = _taps / 2;
        Span<float> weights = _table is null ? new float[_taps] : default;
        for (int n = 0; n < output.Length; n++)
        {
            long position = (long)n * _down;
            int centre = (int)(position / _up);
            int phase = (int)(position % _up);
            ReadOnlySpan<float> w;
            if (_table is not null) w = _table.AsSpan(phase * _taps, _taps);
            else
            {
                for (int j = 0; j < _taps; j++) weights[j] = (float)Kernel((double)phase / _up + (half - 1 - j));
                w = weights;
            }
            int first = centre - half + 1;
            int lo = Math.Max(0, -first);
            int hi = Math.Min(_taps, input.Length - first);
            float sum = 0;
            if (lo < hi)
            {
                var x = input.Slice(first + lo, hi - lo);
                var c = w.Slice(lo, hi - lo);
                for (int j = 0; j < x.Length; j++) sum += x[j] * c[j];
            }
            output[n] = sum;
        }
        return output;
    }

    /// <summary>The windowed-sinc impulse response at <paramref name="x"/> input samples from the centre.</summary>
    private double Kernel(double x)
    {
        double half = _taps / 2.0;
        double r = x / half;
        if (Math.Abs(r) >= 1) return 0;
        double arg = Math.PI * _cutoff * x;
        double sinc = Math.Abs(arg) < 1e-12 ? 1.0 : Math.Sin(arg) / arg;
        return _cutoff * sinc * BesselI0(Beta * Math.Sqrt(1 - r * r)) / BesselI0(Beta);
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, q = x * x / 4;
        for (int k = 1; k < 50 && term > 1e-12 * sum; k++)
        {
            term *= q / ((double)k * k);
            sum += term;
        }
        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
