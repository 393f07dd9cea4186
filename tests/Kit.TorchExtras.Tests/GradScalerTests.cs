using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>
/// torch.amp.GradScaler on the CPU: libtorch 1.13 has its fused kernels for CUDA only, so these exercise the
/// shim's ordinary-op versions: overflow skips the step and backs the scale off, clean steps grow it, and a
/// scaled step moves the weights as the unscaled fp32 step does.
/// </summary>
public sealed class GradScalerTests
{
    private static (Parameter W, Tensor X, Tensor Y) Problem()
    {
        manual_seed(3);
        return (new Parameter(randn(3, 4)), randn(8, 4).DetachFromDisposeScope(), randn(8, 3).DetachFromDisposeScope());
    }

    private static Tensor Loss(Parameter w, Tensor x, Tensor y) => nn.functional.mse_loss(x.matmul(w.t()), y);

    [Fact]
    public void Scaled_steps_move_the_weights_as_unscaled_fp32_steps_do()
    {
        using var scope = NewDisposeScope();
        var (w, x, y) = Problem();
        var reference = new Parameter(w.detach().clone());
        using var opt = optim.Adam([w], lr: 1e-2);
        using var refOpt = optim.Adam([reference], lr: 1e-2);
        // A power of two scale: scaling and unscaling are exact, so the gradients match the fp32 ones to the bit.
        using var scaler = new amp.GradScaler(init_scale: 1024, growth_interval: 2);
        for (int i = 0; i < 5; i++)
        {
            scaler.scale(Loss(w, x, y)).backward();
            scaler.unscale_(opt);
            Assert.True(allclose(w.grad!, Grad(reference, x, y), 0, 0), $"step {i}: unscaled gradient differs from the fp32 one");
            Assert.True(scaler.step(opt));
            scaler.update();
            opt.zero_grad();
            refOpt.step();
            refOpt.zero_grad();
            Assert.True(allclose(w, reference, 0, 0), $"step {i}: weights differ from the unscaled run");
        }
        Assert.Equal(4096.0, scaler.get_scale()); // grew after steps 2 and 4
        Assert.Equal(1L, scaler.get_growth_tracker());
    }

    private static Tensor Grad(Parameter p, Tensor x, Tensor y)
    {
        Loss(p, x, y).backward();
        return p.grad!;
    }

    [Fact]
    public void A_step_with_an_inf_gradient_is_skipped_and_the_scale_halves()
    {
        using var scope = NewDisposeScope();
        var (w, x, y) = Problem();
        var other = new Parameter(randn(5));
        using var opt = optim.SGD([w, other], 0.1);
        using var scaler = new amp.GradScaler(init_scale: 256, growth_interval: 3);
        // Two clean steps count towards growth; the overflow must restart the count.
        for (int i = 0; i < 2; i++)
        {
            scaler.scale(Loss(w, x, y)).backward();
            Assert.True(scaler.step(opt));
            scaler.update();
            opt.zero_grad();
        }
        Assert.Equal(2L, scaler.get_growth_tracker());

        var before = w.detach().clone();
        scaler.scale(Loss(w, x, y) + (other * float.PositiveInfinity).sum()).backward();
        Assert.False(scaler.step(opt));
        scaler.update();
        Assert.True(allclose(w, before, 0, 0), "the overflowing step changed the weights");
        Assert.Equal(128.0, scaler.get_scale());
        Assert.Equal(0L, scaler.get_growth_tracker());
        opt.zero_grad();

        // A NaN is an overflow too.
        scaler.scale(Loss(w, x, y) * float.NaN).backward();
        Assert.False(scaler.step(opt));
        scaler.update();
        Assert.Equal(64.0, scaler.get_scale());
    }

    [Fact]
    public void Clean_steps_grow_the_scale_after_the_interval_and_the_state_round_trips()
    {
        using var scope = NewDisposeScope();
        var (w, x, y) = Problem();
        using var opt = optim.SGD([w], 0.01);
        using var scaler = new amp.GradScaler(init_scale: 8, growth_factor: 2, growth_interval: 3);
        var seen = new List<double>();
        for (int i = 0; i < 7; i++)
        {
            scaler.scale(Loss(w, x, y)).backward();
            scaler.step(opt);
            scaler.update();
            opt.zero_grad();
            seen.Add(scaler.get_scale());
        }
        Assert.Equal(new double[] { 8, 8, 16, 16, 16, 32, 32 }, seen);

        var state = scaler.state_dict();
        using var resumed = new amp.GradScaler();
        resumed.load_state_dict(state);
        Assert.Equal(32.0, resumed.get_scale());
        Assert.Equal(1L, resumed.get_growth_tracker());
        Assert.Equal(3, resumed.growth_interval);
        // The resumed scaler carries on the count: two more clean steps grow it.
        for (int i = 0; i < 2; i++)
        {
            resumed.scale(Loss(w, x, y)).backward();
            resumed.step(opt);
            resumed.update();
            opt.zero_grad();
        }
        Assert.Equal(64.0, resumed.get_scale());
    }

    [Fact]
    public void Misuse_is_refused_as_in_pytorch()
    {
        using var scope = NewDisposeScope();
        var (w, x, y) = Problem();
        using var opt = optim.SGD([w], 0.01);
        using var scaler = new amp.GradScaler();
        scaler.scale(Loss(w, x, y)).backward();
        scaler.unscale_(opt);
        Assert.Throws<InvalidOperationException>(() => scaler.unscale_(opt));
        scaler.step(opt);
        Assert.Throws<InvalidOperationException>(() => scaler.step(opt));
        scaler.update();
        Assert.Throws<InvalidOperationException>(() => scaler.update());
        using var off = new amp.GradScaler(enabled: false);
        var loss = Loss(w, x, y);
        Assert.Same(loss, off.scale(loss));
        Assert.Empty(off.state_dict());
    }
}
