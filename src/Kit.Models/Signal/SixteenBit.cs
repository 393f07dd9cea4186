using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>
/// 16-bit audio as WaveRNN's two bytes: the unsigned sample u = s·32767 + 32768 (0..65535) is split into
/// coarse = u / 256 (the top 8 bits) and fine = u % 256 (the bottom 8 bits), each a 256-way class.
/// </summary>
public static class SixteenBit
{
    public const int Classes = 256;

    /// <summary>Coarse and fine classes (int64, the shape of <paramref name="samples"/>) of float samples in [-1, 1].</summary>
    public static (Tensor Coarse, Tensor Fine) Split(Tensor samples)
    {
        // In float (exact for integers below 2^24), then int64 class ids.
        var u = (samples.clamp(-1, 1) * 32767).round() + 32768;
        var coarse = (u / Classes).floor();
        return (coarse.to(int64), (u - coarse * Classes).to(int64));
    }

    /// <summary>Float samples in [-1, 1] from coarse and fine classes.</summary>
    public static Tensor Join(Tensor coarse, Tensor fine) =>
        (coarse.to(float32) * Classes + fine.to(float32) - 32768) / 32767.0;

    /// <summary>A class as the network's input, scaled to [-1, 1].</summary>
    public static Tensor Scale(Tensor classes) => classes.to(float32) / 127.5 - 1;
}
