using Kit.Torch.Modules;
using Kit.Torch.Optim;
using Kit.Torch.Tests.Reference;
using static Kit.Torch.torch;

namespace Kit.Torch.Tests;

/// <summary>Weights after several optimizer steps (with schedulers) against torch.optim on the same problem.</summary>
public sealed class OptimReferenceTests
{
    private static readonly Lazy<List<RefCase>> cases = new(Build);
    private static readonly Lazy<ReferenceBatch> batch = new(() => new ReferenceBatch(cases.Value));

    public static IEnumerable<object[]> Names => ReferenceBatch.Names(cases.Value);

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_pytorch(string name) => batch.Value.Check(name);

    private const string PyLoop =
        "w = I['w'].clone().requires_grad_()\nopt = {0}\nsched = [{1}]\n" +
        "for _ in range(7):\n    opt.zero_grad()\n    F.mse_loss(I['x'] @ w.T, I['y']).backward()\n    opt.step()\n    for s in sched: s.step()\n" +
        "out = [w.detach(), torch.tensor(opt.param_groups[0]['lr'], dtype=torch.float64)]";

    private static RefCase Case(string name, string pyOpt, string pySched, Func<Parameter, Optimizer> opt, Func<Optimizer, LRScheduler[]> sched) =>
        new RefCase(name, string.Format(PyLoop, pyOpt, pySched), i =>
        {
            var w = new Parameter(i["w"].clone());
            var o = opt(w);
            var s = sched(o);
            for (int k = 0; k < 7; k++)
            {
                using var scope = NewDisposeScope();
                o.zero_grad();
                nn.functional.mse_loss(i["x"].matmul(w.t()), i["y"]).backward();
                o.step();
                foreach (var x in s) x.step();
            }
            return [w, tensor(o.lr, float64)];
        }).In("w", randn(3, 4)).In("x", randn(8, 4)).In("y", randn(8, 3)).Tol(1e-5, 1e-6);

    private static List<RefCase> Build()
    {
        manual_seed(7);
        return
        [
            Case("sgd_momentum", "torch.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)", "",
                w => optim.SGD([w], 0.1, momentum: 0.9, weight_decay: 0.01), _ => []),
            Case("sgd_nesterov_multistep", "torch.optim.SGD([w], lr=0.1, momentum=0.5, nesterov=True)", "torch.optim.lr_scheduler.MultiStepLR(opt, [2, 4], gamma=0.5)",
                w => optim.SGD([w], 0.1, momentum: 0.5, nesterov: true), o => [optim.lr_scheduler.MultiStepLR(o, [2, 4], 0.5)]),
            Case("adam", "torch.optim.Adam([w], lr=0.05, weight_decay=0.1)", "",
                w => optim.Adam([w], 0.05, weight_decay: 0.1), _ => []),
            Case("adamw_amsgrad_warmup", "torch.optim.AdamW([w], lr=0.05, weight_decay=0.1, amsgrad=True)",
                "torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=4), torch.optim.lr_scheduler.MultiStepLR(opt, [5], gamma=0.1)",
                w => optim.AdamW([w], 0.05, weight_decay: 0.1, amsgrad: true),
                o => [optim.lr_scheduler.LinearLR(o, 0.25, 1.0, 4), optim.lr_scheduler.MultiStepLR(o, [5], 0.1)]),
        ];
    }
}
