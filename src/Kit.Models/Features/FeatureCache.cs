using Kit.Data.Audio;
using Kit.Data.Caching;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Features;

/// <summary>
/// Per-clip log-mel spectrograms (and the resampled signal the signal model trains on) kept on disk, keyed by the
/// file's full path, size, modification time and the mel settings: an epoch reads them instead of computing
/// them again, and a changed file or setting misses the cache. Files are written whole then renamed, so a
/// crash never leaves a half-written entry.
/// </summary>
public sealed class FeatureCache : IDisposable
{
    private readonly LogMelSpectrogram _mel;
    private readonly string? _folder;

    public MelSettings Settings => _mel.Settings;

    /// <param name="folder">Cache folder (null: compute every time).</param>
    public FeatureCache(MelSettings settings, string? folder)
    {
        _mel = new LogMelSpectrogram(settings);
        _folder = folder;
        if (folder is not null) Directory.CreateDirectory(folder);
    }

    public LogMelSpectrogram Mel => _mel;

    /// <summary>The log-mel (n_mels, frames) of a WAV file.</summary>
    public Tensor LogMel(string wavPath) => Get(wavPath).Mel;

    /// <summary>The log-mel and the mono signal at the settings' rate (samples), from the cache when it has them.</summary>
    public (Tensor Mel, Tensor Signal) Get(string wavPath)
    {
        var entry = _folder is null ? null : Path.Combine(_folder, Key(wavPath) + ".safetensors");
        if (entry is not null && File.Exists(entry))
        {
            try
            {
                var stored = TensorFiles.load(entry);
                return (stored["mel"], stored["signal"]);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or Kit.Torch.Formats.TorchFormatException or System.Runtime.InteropServices.ExternalException)
            {
                File.Delete(entry); // damaged: computed again below
            }
        }
        Tensor signal, mel;
        try { signal = LogMelSpectrogram.Samples(AudioFile.Read(wavPath), Settings.SampleRate); }
        catch (Exception e) when (e is not IOException) { throw new InvalidDataException($"{wavPath}: {e.Message}", e); }
        mel = _mel.Compute(signal);
        if (entry is not null)
        {
            var temp = entry + $".{Environment.ProcessId}.tmp.safetensors"; // save picks the format by the extension
            TensorFiles.save(new Dictionary<string, Tensor> { ["mel"] = mel, ["signal"] = signal }, temp);
            File.Move(temp, entry, overwrite: true);
        }
        return (mel, signal);
    }

    private string Key(string wavPath) => CacheKey.Of(CacheKey.FileStamp(wavPath), Settings.ToJson());

    public void Dispose() => _mel.Dispose();
}
