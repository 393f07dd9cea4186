using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

public sealed class ReLU() : nn.Module<Tensor, Tensor>(nameof(ReLU))
{
    public override Tensor forward(Tensor input) => input.relu();
}

public sealed class Tanh() : nn.Module<Tensor, Tensor>(nameof(Tanh))
{
    public override Tensor forward(Tensor input) => input.tanh();
}

public sealed class GELU() : nn.Module<Tensor, Tensor>(nameof(GELU))
{
    public override Tensor forward(Tensor input) => input.gelu();
}
