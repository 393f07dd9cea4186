using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Tortoise.Model;

/// <summary>
/// TorToiSe's <c>normalization(channels)</c>: nn.GroupNorm computed in float32 and cast back, with its
/// group-count rule (32, or 8 up to 16 channels, 16 up to 64, halved until it divides the channels).
/// </summary>
public sealed class GroupNorm32 : nn.Module<Tensor, Tensor>
{
    private Parameter weight, bias;
    private readonly long groups;
    private const double Eps = 1e-5;

    public GroupNorm32(long channels) : base(nameof(GroupNorm32))
    {
        groups = GroupsFor(channels);
        weight = Init.Constant([channels], 1);
        bias = Init.Constant([channels], 0);
        RegisterComponents();
    }

    public static long GroupsFor(long channels)
    {
        long g = channels <= 16 ? 8 : channels <= 64 ? 16 : 32;
        while (channels % g != 0) g /= 2;
        if (g <= 2) throw new ArgumentException($"TorToiSe's normalization needs more than 2 groups; {channels} channels give {g}");
        return g;
    }

    /// <summary>x: (B, C, T).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.size(0), c = x.size(1), t = x.size(2);
        var xf = x.@float().reshape(b, groups, -1); // (B, C, T) -> (B, G, C/G·T)
        // Group statistics over (C/groups · T), biased variance as nn.GroupNorm.
        var normed = nn.functional.layer_norm(xf, [xf.size(2)], null, null, Eps).reshape(b, c, t); // (B, G, C/G·T) -> (B, C, T)
        var y = normed * weight.reshape(1, c, 1) + bias.reshape(1, c, 1); // weight, bias (C) -> (1, C, 1)
        return scope.MoveToOuter(y.to(x.dtype));
    }
}
