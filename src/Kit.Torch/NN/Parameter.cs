using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch.Modules;

/// <summary>
/// A module's trainable tensor. It shares the storage of the tensor it was made from, records
/// gradients, and belongs to no dispose scope: the module owns it for the module's life.
/// </summary>
public sealed class Parameter : torch.Tensor
{
    public Parameter(torch.Tensor data, bool requires_grad = true)
        : base(Check(kt_unary((int)Native.Unary.Detach, data.Handle)), scoped: false)
    {
        this.requires_grad = requires_grad;
    }
}
