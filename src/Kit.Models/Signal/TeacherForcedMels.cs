using Kit.Data.Caching;
using Kit.Data.Datasets;
using Kit.Models.Features;
using Kit.Models.Synthesis;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>
/// The spectrogram model's teacher-forced frames for each clip (its post-net output when fed the clip's real
/// frames): what the signal model trains on with --spectrogram-model-checkpoint, so it learns to vocode the
/// spectrogram model's own output. Computed once per clip and kept on disk under a folder named by a hash
/// of the checkpoint's weights, so another checkpoint never reads these.
/// </summary>
public sealed class TeacherForcedMels : IDisposable
{
    private readonly SpectrogramSynthesizer _model;
    private readonly string _folder;

    /// <summary>The weights file the frames come from.</summary>
    public string WeightsFile { get; }
    public MelSettings Mel => _model.Mel;

    private TeacherForcedMels(SpectrogramSynthesizer model, string weightsFile, string folder)
    {
        _model = model;
        WeightsFile = weightsFile;
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    /// <summary>Loads a spectrogram model's weights file; the cache goes under <paramref name="cacheRoot"/>.</summary>
    public static TeacherForcedMels Open(string file, string cacheRoot)
    {
        SpectrogramSynthesizer model;
        try { model = SpectrogramSynthesizer.Load(file); }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"spectrogram model checkpoint {file}: {e.Message}", e);
        }
        return new TeacherForcedMels(model, file, Path.Combine(cacheRoot, CacheKey.OfContents(file)));
    }

    /// <summary>The predicted log-mel (mels, frames) for a clip whose real log-mel is <paramref name="realMel"/>.</summary>
    public Tensor Get(DatasetEntry entry, Tensor realMel)
    {
        var key = CacheKey.Of(CacheKey.FileStamp(entry.AudioPath), entry.TrainingText, realMel.shape[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = Path.Combine(_folder, key + ".safetensors");
        if (File.Exists(path))
        {
            try { return TensorFiles.load(path)["mel"]; }
            catch (Exception e) when (e is IOException or InvalidDataException or Kit.Torch.Formats.TorchFormatException or System.Runtime.InteropServices.ExternalException) { File.Delete(path); }
        }
        var mel = _model.TeacherForcedFrames(entry.TrainingText, realMel);
        var temp = path + $".{Environment.ProcessId}.tmp.safetensors"; // save picks the format by the extension
        TensorFiles.save(new Dictionary<string, Tensor> { ["mel"] = mel }, temp);
        File.Move(temp, path, overwrite: true);
        return mel;
    }

    public void Dispose() => _model.Dispose();
}
