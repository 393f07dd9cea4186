namespace Kit.Data.Audio;

/// <summary>A WAV file that cannot be read: not RIFF/WAVE, a broken header, an unsupported format, or cut short.</summary>
public sealed class WavFormatException : Exception
{
    /// <summary>The file, or null when reading from a stream or buffer with no name.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, in words a person understands (without the file name).</summary>
    public string Reason { get; }

    public WavFormatException(string? filePath, string reason, Exception? inner = null)
        : base(filePath is null ? reason : $"{filePath}: {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }
}
