namespace Kit.Data.Audio;

/// <summary>A WAV file that cannot be read: not RIFF/WAVE, a broken header, an unsupported format, or cut short.</summary>
public sealed class WavFormatException(string? filePath, string reason, Exception? inner = null)
    : AudioFormatException(filePath, reason, inner);
