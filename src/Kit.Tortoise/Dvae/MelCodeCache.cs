using Kit.Data.Caching;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Dvae;

/// <summary>
/// DVAE codes per clip, computed once and kept on disk as DLAS does for its training targets. A file is
/// named by a hash of the clip's path, size and modification time and of the DVAE's identity, so an edited
/// clip or another DVAE never reuses stale codes. Files are written to a temporary name and moved into place.
/// </summary>
public sealed class MelCodeCache(string directory, DiscreteVae dvae, string dvaeIdentity)
{
    public string Directory { get; } = directory;

    /// <summary>Clips whose codes were computed (not read from disk) by this instance.</summary>
    public int Computed { get; private set; }

    public long[] CodesFor(string audioPath, Tensor mel)
    {
        var file = Path.Combine(Directory, Key(audioPath) + ".codes");
        if (File.Exists(file))
        {
            var bytes = File.ReadAllBytes(file);
            var cached = new long[bytes.Length / sizeof(long)];
            Buffer.BlockCopy(bytes, 0, cached, 0, bytes.Length);
            return cached;
        }
        using var scope = NewDisposeScope();
        var codes = dvae.call(mel.unsqueeze(0)).reshape(-1).data<long>().ToArray(); // (80, T) -> (1, 80, T) -> codes (1, T/4) -> (T/4)
        System.IO.Directory.CreateDirectory(Directory);
        var tmp = file + ".tmp";
        var raw = new byte[codes.Length * sizeof(long)];
        Buffer.BlockCopy(codes, 0, raw, 0, raw.Length);
        File.WriteAllBytes(tmp, raw);
        File.Move(tmp, file, overwrite: true);
        Computed++;
        return codes;
    }

    private string Key(string audioPath) => CacheKey.Of(CacheKey.FileStamp(audioPath), dvaeIdentity);
}
