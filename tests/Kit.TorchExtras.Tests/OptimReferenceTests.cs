using TorchSharp.Modules;
using Kit.TorchExtras.Tests.Reference;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>
/// Weights after several steps of the optimizers the kit trains with (TorchSharp's Adam and AdamW), the learning
/// rate set before each step as the kit's trainer does, against torch.optim on the same problem.
/// </summary>
public sealed class OptimReferenceTests : ReferenceTests<OptimReferenceTests>, IReferenceCases
{
    private static readonly double[] Warmup = [0.0125, 0.025, 0.0375, 0.05, 0.05, 0.005, 0.005];

    private const string PyLoop =
        "w = I['w'].clone().requires_grad_()\nopt = {0}\nlrs = [{1}]\n" +
        "for k in range(7):\n    opt.zero_grad()\n    if lrs: opt.param_groups[0]['lr'] = lrs[k]\n    F.mse_loss(I['x'] @ w.T, I['y']).backward()\n    opt.step()\n" +
        "out = [w.detach(), torch.tensor(opt.param_groups[0]['lr'], dtype=torch.float64)]";

    private static RefCase Case(string name, string pyOpt, double[]? lrs, Func<Parameter, optim.Optimizer> opt) =>
        new RefCase(name, string.Format(PyLoop, pyOpt, lrs is null ? "" : string.Join(", ", lrs.Select(v => v.ToString("R")))), i =>
        {
            var w = new Parameter(i["w"].clone());
            var o = opt(w);
            for (int k = 0; k < 7; k++)
            {
                using var scope = NewDisposeScope();
                o.clear_grad();
                if (lrs is not null) o.set_lr(lrs[k]);
                nn.functional.mse_loss(i["x"].matmul(w.t()), i["y"]).backward();
                o.step();
            }
            return [w, tensor(o.get_lr(), float64)];
        }).In("w", randn(3, 4)).In("x", randn(8, 4)).In("y", randn(8, 3)).Tol(1e-5, 1e-6);

    public static List<RefCase> Build()
    {
        manual_seed(7);
        return
        [
            Case("adam", "torch.optim.Adam([w], lr=0.05, weight_decay=0.1)", null,
                w => optim.Adam([w], 0.05, weight_decay: 0.1)),
            Case("adam_amsgrad_eps", "torch.optim.Adam([w], lr=0.05, eps=1e-6, weight_decay=1e-6, amsgrad=True)", null,
                w => optim.Adam([w], 0.05, eps: 1e-6, weight_decay: 1e-6, amsgrad: true)),
            // TorchSharp's AdamW defaults weight_decay to 0 (PyTorch's to 0.01): the kit always passes it.
            Case("adamw_amsgrad_warmup", "torch.optim.AdamW([w], lr=0.05, betas=(0.9, 0.96), weight_decay=0.1, amsgrad=True)", Warmup,
                w => optim.AdamW([w], 0.05, beta2: 0.96, weight_decay: 0.1, amsgrad: true)),
        ];
    }
}
