namespace Kit.Data.Audio;

/// <summary>
/// An audio file that cannot be read: not a format the kit reads, a broken header, an unsupported encoding,
/// or cut short. <see cref="WavFormatException"/> is the WAV reader's kind of it.
/// </summary>
public class AudioFormatException : Exception
{
    /// <summary>The file, or null when reading from a stream or buffer with no name.</summary>
    public string? FilePath { get; }

    /// <summary>What is wrong, in words a person understands (without the file name).</summary>
    public string Reason { get; }

    public AudioFormatException(string? filePath, string reason, Exception? inner = null)
        : base(filePath is null ? reason : $"{filePath}: {reason}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }
}
