using TorchSharp.Modules;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>Small models learn toy tasks; resume from state dicts is exact; memory stays flat under dispose scopes.</summary>
public sealed class TrainingTests
{
    [Fact]
    public void Mlp_learns_xor_like_task()
    {
        manual_seed(1);
        using var model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1));
        using var x = (rand(256, 2) * 2 - 1).DetachFromDisposeScope();
        using var y = ((x.select(1, 0) * x.select(1, 1)) > 0).@float().unsqueeze(1).DetachFromDisposeScope();
        var opt = optim.Adam(model.parameters(), 0.03);
        var losses = new List<double>();
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x), y);
            loss.backward();
            opt.step();
            losses.Add(loss.item<float>());
        }
        Assert.True(losses[^1] < 0.3 * losses[0], $"loss went from {losses[0]:F3} to {losses[^1]:F3}");
    }

    [Fact]
    public void Lstm_learns_to_echo_a_delayed_sequence()
    {
        manual_seed(2);
        using var lstm = nn.LSTM(1, 16, batchFirst: true);
        using var head = nn.Linear(16, 1);
        var opt = optim.Adam(lstm.parameters().Concat(head.parameters()), 0.02);
        var losses = new List<double>();
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var x = randn(8, 12, 1);
            var target = nn.functional.pad(x, [0, 0, 2, 0]).narrow(1, 0, 12); // x delayed by two steps
            opt.zero_grad();
            var (o, _, _) = lstm.forward(x);
            var loss = nn.functional.mse_loss(head.forward(o), target);
            loss.backward();
            opt.step();
            losses.Add(loss.item<float>());
        }
        var first = losses.Take(10).Average();
        var last = losses.TakeLast(10).Average();
        Assert.True(last < 0.3 * first, $"loss went from {first:F3} to {last:F3}");
    }

    [Fact]
    public void Resume_from_state_dicts_matches_an_uninterrupted_run()
    {
        double[] Run(bool interrupt)
        {
            manual_seed(5);
            var model = nn.Linear(4, 3);
            var x = randn(16, 4).DetachFromDisposeScope();
            var y = randn(16, 3).DetachFromDisposeScope();
            optim.Optimizer opt = optim.AdamW(model.parameters(), 0.01, weight_decay: 0.01, amsgrad: true);
            for (int step = 0; step < 10; step++)
            {
                if (interrupt && step == 4)
                {
                    // Save everything, rebuild from scratch, load: the run must go on as if nothing happened.
                    var weights = model.state_dict().ToDictionary(e => e.Key, e => e.Value.clone().DetachFromDisposeScope());
                    var optState = opt.kit_state_dict();
                    model = nn.Linear(4, 3);
                    model.load_state_dict_checked(weights);
                    opt = optim.AdamW(model.parameters(), 0.01, weight_decay: 0.01, amsgrad: true);
                    opt.load_kit_state_dict(optState);
                }
                using var scope = NewDisposeScope();
                opt.clear_grad();
                // The learning rate as the kit's trainer sets it: a function of the step (MultiStepLR at 3 and 6).
                opt.set_lr(0.01 * Math.Pow(0.5, (step >= 3 ? 1 : 0) + (step >= 6 ? 1 : 0)));
                nn.functional.mse_loss(model.forward(x), y).backward();
                opt.step();
            }
            return model.weight.data<float>().Select(v => (double)v).Append(opt.get_lr()).ToArray();
        }
        Assert.Equal(Run(false), Run(true));
    }

    [Fact]
    public void Memory_stays_flat_over_thousands_of_steps_in_dispose_scopes()
    {
        manual_seed(3);
        using var model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64));
        var opt = optim.Adam(model.parameters(), 1e-3);
        using var x = randn(32, 64).DetachFromDisposeScope();
        void Steps(int n)
        {
            for (int i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                opt.zero_grad();
                var loss = (model.forward(x) - x).pow(2).mean();
                loss.backward();
                opt.step();
            }
        }
        Steps(300); // warm up allocator caches and the JIT
        var before = RssKiB();
        Steps(3000);
        var after = RssKiB();
        // 3000 leaked steps would hold hundreds of MB (each step makes ~20 tensors of up to 32 KiB).
        Assert.True(after - before < 40_000, $"RSS grew by {(after - before) / 1024} MiB over 3000 steps");
    }

    [Fact]
    public void Dispose_scope_frees_intermediates_and_keeps_what_moves_out()
    {
        Tensor kept, dropped;
        using (var scope = NewDisposeScope())
        {
            dropped = ones(3) * 2;
            kept = scope.MoveToOuter(dropped + 1);
            Assert.Equal(2, scope.DisposablesCount);
        }
        Assert.True(dropped.IsInvalid);
        Assert.False(kept.IsInvalid);
        Assert.Equal([3f, 3f, 3f], kept.data<float>());
        kept.Dispose();

        using var p = new Parameter(zeros(2));
        using (NewDisposeScope())
        {
            using var model = nn.Linear(2, 2);
            _ = model.forward(ones(1, 2));
        }
        Assert.False(p.IsInvalid);
    }

    /// <summary>
    /// The process's resident memory once glibc has given back the heap it holds freed (malloc_trim): its caches,
    /// which grow with the threads that touched them (oneDNN on, a loaded machine), otherwise read as a leak.
    /// Nothing is collected first: tensors left to the finalizer, which no dispose scope freed, stay resident.
    /// </summary>
    private static long RssKiB()
    {
        if (OperatingSystem.IsLinux()) malloc_trim(0);
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int malloc_trim(nuint pad);
}
