using System.Buffers;
using Kit.Data.Audio;

namespace Kit.Data.Checks;

/// <summary>What reading one audio file found: its header and levels, or why it could not be read.</summary>
public sealed record ClipMeasurement(string Path, bool Exists, string? Error, AudioInfo? Info, AudioLevels? Levels)
{
    public bool Readable => Info is not null && Levels is not null;

    /// <summary>
    /// Reads a file into a pooled buffer, decodes and measures it: the check's inner loop, run in parallel
    /// over thousands of files. A WAV is decoded frame by frame, allocating almost nothing per file; a
    /// compressed clip is decoded whole by <see cref="AudioFile"/>, as the trainer reads it.
    /// </summary>
    public static ClipMeasurement Read(string path)
    {
        if (!File.Exists(path)) return new ClipMeasurement(path, false, "does not exist", null, null);
        byte[]? bytes = null;
        try
        {
            int length;
            using (var handle = File.OpenHandle(path))
            {
                long size = RandomAccess.GetLength(handle);
                if (size > Array.MaxLength) return new ClipMeasurement(path, true, $"{size:N0} bytes is too large for a training clip", null, null);
                length = (int)size;
                bytes = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
                int read = 0;
                while (read < length)
                {
                    int n = RandomAccess.Read(handle, bytes.AsSpan(read, length - read), read);
                    if (n == 0) break;
                    read += n;
                }
                length = read;
            }
            if (AudioFile.Sniff(bytes.AsSpan(0, length), path) != AudioContainer.Wav)
            {
                var (decodedInfo, clip) = AudioFile.Decode(bytes[..length], path);
                return new ClipMeasurement(path, true, null, decodedInfo, AudioLevels.Measure(clip.Samples, clip.Channels, clip.SampleRate));
            }
            var info = WavReader.ReadHeader(new MemoryStream(bytes, 0, length, writable: false), path);
            // Decode one 10 ms frame at a time into a buffer that stays in cache, measuring as it goes.
            var meter = new LevelMeter(info.Channels, info.SampleRate);
            int frame = meter.FrameSamples;
            Span<float> buffer = frame <= 16384 ? stackalloc float[frame] : new float[frame];
            var data = bytes.AsSpan((int)info.DataOffset, (int)info.DataLength);
            int step = frame * info.BytesPerSample;
            for (int offset = 0; offset < data.Length; offset += step)
            {
                var chunk = data.Slice(offset, Math.Min(step, data.Length - offset));
                WavReader.DecodeSamples(chunk, info, buffer);
                meter.Add(buffer[..(chunk.Length / info.BytesPerSample)]);
            }
            var levels = meter.Finish();
            return new ClipMeasurement(path, true, null, AudioInfo.FromWav(info), levels);
        }
        catch (AudioFormatException e) { return new ClipMeasurement(path, true, e.Reason, null, null); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OverflowException)
        {
            return new ClipMeasurement(path, true, $"cannot be read: {e.Message}", null, null);
        }
        finally
        {
            if (bytes is not null) ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}
