using System.Text.Json;

namespace Kit.Models.Features;

/// <summary>
/// How audio becomes log-mel frames, as a recipe declares it: the names and meanings of torchaudio's
/// MelSpectrogram (HTK mel scale, no filter normalization) so the same settings give the same values there.
/// The log is natural, of the mel magnitude (power 1) or energy (power 2) clamped at <see cref="LogFloor"/>.
/// </summary>
public sealed record MelSettings
{
    public int SampleRate { get; init; } = 22050;
    public int NFft { get; init; } = 1024;
    public int HopLength { get; init; } = 256;
    public int WinLength { get; init; } = 1024;
    /// <summary>"hann" or "hamming" (periodic, as torch's window functions by default).</summary>
    public string Window { get; init; } = "hann";
    public int NMels { get; init; } = 80;
    public double FMin { get; init; }
    public double FMax { get; init; } = 8000;
    public double Power { get; init; } = 1.0;
    public double LogFloor { get; init; } = 1e-5;

    /// <summary>The tiny models' settings: 22,050 Hz, FFT and frame 1024, hop 256, 80 mel bins up to 8 kHz.</summary>
    public static MelSettings Tiny { get; } = new()
    {
        SampleRate = 22050, NFft = 1024, HopLength = 256, WinLength = 1024, NMels = 80, FMax = 8000,
    };

    /// <summary>The published WellSaid settings (24 kHz, frame 1200, hop 300, FFT 2048, Hann, 128 mel bins).</summary>
    public static MelSettings WellSaid { get; } = new()
    {
        SampleRate = 24000, NFft = 2048, HopLength = 300, WinLength = 1200, NMels = 128, FMin = 20, FMax = 12000,
    };

    public string ToJson() => JsonSerializer.Serialize(this);
    public static MelSettings FromJson(string json) =>
        JsonSerializer.Deserialize<MelSettings>(json) ?? throw new FormatException("empty mel settings");

    public void Validate()
    {
        if (SampleRate <= 0 || NFft <= 0 || HopLength <= 0 || WinLength <= 0 || NMels <= 0)
            throw new ArgumentException($"mel settings must be positive: {this}");
        if (WinLength > NFft) throw new ArgumentException($"the window ({WinLength}) is longer than the FFT ({NFft})");
        if (FMax > SampleRate / 2.0 || FMin < 0 || FMin >= FMax)
            throw new ArgumentException($"mel range {FMin}–{FMax} Hz does not fit the Nyquist frequency {SampleRate / 2} Hz");
        if (Window is not ("hann" or "hamming")) throw new ArgumentException($"window must be \"hann\" or \"hamming\", not \"{Window}\"");
    }
}
