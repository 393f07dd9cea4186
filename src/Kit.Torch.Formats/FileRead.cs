using Microsoft.Win32.SafeHandles;

namespace Kit.Torch.Formats;

/// <summary>Positional reads that must fill their buffer (a tensor's bytes, a zip record), for both file readers.</summary>
internal static class FileRead
{
    /// <summary>
    /// Fills <paramref name="destination"/> from <paramref name="offset"/>; null when it was all there, else the
    /// offset where the file ended (the caller names what was cut short).
    /// </summary>
    public static long? Exactly(SafeFileHandle handle, long offset, Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            var n = RandomAccess.Read(handle, destination, offset);
            if (n <= 0) return offset;
            destination = destination[n..];
            offset += n;
        }
        return null;
    }
}
