using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>The signal model's loss terms, named as the WellSaid guide watches them.</summary>
public static class SignalLosses
{
    /// <summary>Cross-entropy of the coarse and the fine byte over every sample, and their sum as "loss".</summary>
    public static Dictionary<string, Tensor> Compute(SignalPrediction p, Tensor coarse, Tensor fine)
    {
        var coarseLoss = nn.functional.cross_entropy(p.Coarse.reshape(-1, SixteenBit.Classes), coarse.reshape(-1));
        var fineLoss = nn.functional.cross_entropy(p.Fine.reshape(-1, SixteenBit.Classes), fine.reshape(-1));
        return new() { ["coarse_loss"] = coarseLoss, ["fine_loss"] = fineLoss, ["loss"] = coarseLoss + fineLoss };
    }
}
