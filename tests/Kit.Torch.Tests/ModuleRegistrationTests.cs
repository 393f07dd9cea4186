using Kit.Torch.Modules;
using static Kit.Torch.torch;

namespace Kit.Torch.Tests;

public sealed class ModuleRegistrationTests
{
    private sealed class Block : nn.Module<Tensor, Tensor>
    {
        private readonly Linear proj;
        private readonly Parameter scale;
        private readonly Tensor mask;
        private readonly ModuleList<Linear> layers;

        public Block() : base(nameof(Block))
        {
            proj = nn.Linear(4, 4);
            scale = new Parameter(ones(4));
            mask = ones(4);
            layers = nn.ModuleList(nn.Linear(4, 4), nn.Linear(4, 4));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            x = proj.forward(x) * scale * mask;
            foreach (var l in layers) x = l.forward(x);
            return x;
        }
    }

    [Fact]
    public void RegisterComponents_finds_fields_under_pytorch_style_names()
    {
        using var b = new Block();
        Assert.Equal(["scale", "proj.weight", "proj.bias", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"],
            b.named_parameters().Select(e => e.name));
        Assert.Equal(["mask"], b.named_buffers().Select(e => e.name));
        Assert.Equal(["", "proj", "layers", "layers.0", "layers.1"], b.named_modules().Select(e => e.name));
        using var scope = NewDisposeScope();
        var y = b.forward(randn(2, 4));
        y.sum().backward();
        Assert.All(b.parameters(), p => Assert.NotNull(p.grad));
        b.zero_grad();
        Assert.All(b.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Dropout_scales_kept_values_in_training_and_is_identity_in_eval()
    {
        using var scope = NewDisposeScope();
        var d = nn.Dropout(0.5);
        var x = ones(10_000);
        var y = d.forward(x);
        var kept = (y > 0).@float().mean().item<float>();
        Assert.InRange(kept, 0.45f, 0.55f);
        Assert.Equal(2f, y.max().item<float>());
        d.eval();
        Assert.True(allclose(d.forward(x), x));
        Assert.False(d.training);
    }
}
