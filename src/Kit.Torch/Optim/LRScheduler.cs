namespace Kit.Torch.Optim;

/// <summary>
/// Learning-rate schedules in PyTorch's recursive (chainable) form: each step() scales the optimizer's
/// current rate, so two schedulers on one optimizer compose as they do in PyTorch. Construction takes
/// the first step (epoch 0), as PyTorch's does.
/// </summary>
public abstract class LRScheduler
{
    protected readonly Optimizer optimizer;

    protected LRScheduler(Optimizer optimizer) => this.optimizer = optimizer;

    /// <summary>Called at the end of a derived constructor, once its settings are in place.</summary>
    protected void Start(int last_epoch)
    {
        if (last_epoch == -1) optimizer.initial_lr = optimizer.lr;
        this.last_epoch = last_epoch;
        step();
    }

    public int last_epoch { get; protected set; }

    public double base_lr => optimizer.initial_lr;

    public double get_last_lr() => optimizer.lr;

    public void step()
    {
        last_epoch++;
        optimizer.lr = NextLr(optimizer.lr);
    }

    /// <summary>The rate for epoch <see cref="last_epoch"/>, from the rate of the epoch before.</summary>
    protected abstract double NextLr(double current);

    /// <summary>Epoch and rate: restoring them (after the optimizer's own state) resumes the schedule exactly.</summary>
    public Dictionary<string, double> state_dict() => new() { ["last_epoch"] = last_epoch, ["last_lr"] = optimizer.lr };

    public void load_state_dict(IReadOnlyDictionary<string, double> state)
    {
        last_epoch = (int)state["last_epoch"];
        optimizer.lr = state["last_lr"];
    }
}

/// <summary>Multiplies the rate by gamma at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR).</summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] milestones;
    private readonly double gamma;

    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int last_epoch = -1) : base(optimizer)
    {
        this.milestones = milestones.ToArray();
        this.gamma = gamma;
        Start(last_epoch);
    }

    protected override double NextLr(double current)
    {
        var hits = milestones.Count(m => m == last_epoch);
        return hits == 0 ? current : current * Math.Pow(gamma, hits);
    }
}

/// <summary>
/// Linear warmup: scales the rate from start_factor to end_factor over total_iters epochs
/// (torch.optim.lr_scheduler.LinearLR).
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private readonly double startFactor, endFactor;
    private readonly int totalIters;

    public LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5, int last_epoch = -1) : base(optimizer)
    {
        if (start_factor is <= 0 or > 1) throw new ArgumentException("start_factor must be in (0, 1]");
        (startFactor, endFactor, totalIters) = (start_factor, end_factor, total_iters);
        Start(last_epoch);
    }

    protected override double NextLr(double current)
    {
        if (last_epoch == 0) return current * startFactor;
        if (last_epoch > totalIters) return current;
        return current * (1.0 + (endFactor - startFactor) / (totalIters * startFactor + (last_epoch - 1) * (endFactor - startFactor)));
    }
}
