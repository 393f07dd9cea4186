using Kit.TorchExtras;
using TorchSharp;
using Kit.Training.Checkpoints;
using static TorchSharp.torch;

namespace Kit.Training.Recipes.Torch;

/// <summary>
/// The tensor-engine half of every model recipe: backward with the micro-batch weight, gradient clipping,
/// the optimizer step at the loop's learning rate, validation without gradients, and state-dict checkpoints
/// (the model's state dict as the inference weights, the optimizer's as the training state). A model recipe
/// subclasses it and writes only <see cref="Losses"/>: batch its clips and return the named loss terms.
/// Mixed precision comes with it: <see cref="Losses"/> runs under autocast when the run's precision is bf16
/// or fp16 (backward outside it, as PyTorch recommends), and fp16 scales the loss with a GradScaler.
/// </summary>
public abstract class TorchTrainable : ITrainable
{
    private const string StepKey = "trainer.updates";
    private const string ScalerPrefix = "amp.";
    private readonly amp.GradScaler? _scaler;
    private long _updates;
    private int _microBatches;

    protected TorchTrainable(RecipeContext context, nn.Module model, optim.Optimizer optimizer, Device device)
    {
        Context = context;
        Model = model;
        Optimizer = optimizer;
        Device = device;
        Precision = Precisions.Resolve(context.Precision, device.type == DeviceType.CUDA,
            device.type == DeviceType.CUDA && amp.cuda_is_bf16_supported());
        if (Precision.UsesGradScaler) _scaler = new amp.GradScaler();
        // Once per run, in the training log: which CPU kernels this run trains on, and why.
        foreach (var line in TorchEngine.Lines) context.Log(line);
    }

    public ResolvedPrecision Precision { get; }

    /// <summary>
    /// The forward's precision scope. Entered around each forward on the calling thread: libtorch's autocast
    /// state is per thread, so a trainer on a background thread gets it there, not where the run was set up.
    /// </summary>
    protected IDisposable Autocast() => amp.autocast(Device.type,
        Precision.Mode == TrainingPrecision.Fp16 ? float16 : bfloat16, enabled: Precision.UsesAutocast);

    protected RecipeContext Context { get; }
    protected nn.Module Model { get; }
    protected optim.Optimizer Optimizer { get; }
    protected Device Device { get; }

    public abstract IReadOnlyList<double> TrainLengths { get; }

    /// <summary>The model's named loss terms on these clips (of the training or validation set); "loss" is the total.</summary>
    protected abstract IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyList<int> clips, bool validation);

    /// <summary>Clips in the validation set.</summary>
    protected abstract int ValidationCount { get; }

    public virtual long EstimatedCheckpointBytes =>
        Model.parameters().Sum(p => p.numel() * p.element_size()) * 4; // weights + gradients-sized Adam moments, with room

    public IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight)
    {
        // Dropout and other randomness drawn from (seed, update, micro-batch): a resumed run draws the same
        // numbers without saving the generator's state.
        manual_seed(Context.Seed * 1_000_003L + _updates * 64 + _microBatches++);
        using var scope = NewDisposeScope();
        var statistics = RunningStatistics().Select(t => (Live: t, Before: t.clone())).ToList();
        IReadOnlyDictionary<string, Tensor> terms;
        using (Autocast()) terms = Losses(clips, validation: false);
        if (!terms.TryGetValue("loss", out var total))
            throw new InvalidOperationException($"{GetType().Name}.Losses returned no \"loss\" term");
        var values = terms.ToDictionary(kv => kv.Key, kv => (double)kv.Value.to(ScalarType.Float32).item<float>());
        if (double.IsFinite(values["loss"]))
        {
            var weighted = total * weight;
            (_scaler?.scale(weighted) ?? weighted).backward();
        }
        else
        {
            // The forward already folded the NaN batch into the normalization layers' running statistics, which
            // eval mode uses: left there, every later validation and synthesis would be NaN though training
            // (on batch statistics) goes on. The skipped step takes them back.
            using var _ = no_grad();
            foreach (var (live, before) in statistics) live.copy_(before);
        }
        return values;
    }

    /// <summary>The running statistics a training forward updates in place (batch norm's mean, variance and count).</summary>
    private IEnumerable<Tensor> RunningStatistics() =>
        Model.modules().OfType<TorchSharp.Modules.NormBase>()
            .SelectMany(m => new[] { m.running_mean, m.running_var, m.num_batches_tracked })
            .OfType<Tensor>();

    public bool ApplyUpdate(double learningRate, double? maxGradNorm)
    {
        Optimizer.set_lr(learningRate);
        if (_scaler is { } scaler)
        {
            // Clipping compares the true gradient norm, so the scale comes off first. An overflowing step is
            // skipped by the scaler (and the scale lowered): fp16's normal working, not a fault to report.
            scaler.unscale_(Optimizer);
            if (maxGradNorm is { } m) nn.utils.clip_grad_norm_(Model.parameters(), m);
            scaler.step(Optimizer);
            scaler.update();
        }
        else
        {
            // A finite loss can still have inf gradients (an exploding recurrent step). Clipping would make them
            // NaN (inf × 0) and Adam would spread NaN into the weights, so such a step is not taken. Without a
            // clip, an infinite limit measures the norm and scales by 1.
            var norm = nn.utils.clip_grad_norm_(Model.parameters(), maxGradNorm ?? double.PositiveInfinity);
            if (!double.IsFinite(norm))
            {
                DiscardGradients();
                return false;
            }
            Optimizer.step();
        }
        Optimizer.clear_grad();
        _updates++;
        _microBatches = 0;
        return true;
    }

    public void DiscardGradients()
    {
        Optimizer.clear_grad();
        _microBatches = 0;
    }

    public IReadOnlyDictionary<string, double> Validate(int batchSize)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var n = ValidationCount;
        Model.eval();
        try
        {
            using var _ = no_grad();
            for (var start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                using var precision = Autocast();
                var clips = Enumerable.Range(start, Math.Min(batchSize, n - start)).ToArray();
                foreach (var (name, t) in Losses(clips, validation: true))
                    sums[name] = sums.GetValueOrDefault(name) + t.to(ScalarType.Float32).item<float>() * clips.Length;
            }
        }
        finally { Model.train(); }
        return sums.ToDictionary(kv => kv.Key, kv => n > 0 ? kv.Value / n : double.NaN);
    }

    public void Save(CheckpointWriter writer)
    {
        // The model's state dict holds its own tensors (not copies): only the optimizer's are freed here.
        writer.WriteToPath(CheckpointFiles.InferenceWeights, path => TensorFiles.save(Model.ordered_state_dict(), path));
        var state = Optimizer.kit_state_dict();
        try
        {
            state[StepKey] = tensor(_updates);
            if (_scaler is not null)
                foreach (var (k, v) in _scaler.state_dict()) state[ScalerPrefix + k] = v;
            writer.WriteToPath(CheckpointFiles.TrainingState, path => TensorFiles.save(state, path));
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    public void Load(LoadedCheckpoint checkpoint)
    {
        var weights = TensorFiles.load(checkpoint.PathOf(CheckpointFiles.InferenceWeights));
        var state = TensorFiles.load(checkpoint.PathOf(CheckpointFiles.TrainingState));
        try
        {
            Model.load_state_dict_checked(weights.ToDictionary(kv => kv.Key, kv => kv.Value.to(Device)));
            _updates = state.Remove(StepKey, out var step) ? step.to(ScalarType.Int64).item<long>() : 0;
            // A run resumed in another precision (say fp16 saved on one GPU, bf16 on another) drops or lacks these.
            var scalerState = state.Where(kv => kv.Key.StartsWith(ScalerPrefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[ScalerPrefix.Length..], kv => kv.Value);
            foreach (var k in scalerState.Keys) state.Remove(ScalerPrefix + k);
            if (_scaler is not null && scalerState.Count > 0) _scaler.load_state_dict(scalerState);
            foreach (var t in scalerState.Values) t.Dispose();
            Optimizer.load_kit_state_dict(state);
            Optimizer.clear_grad();
            _microBatches = 0;
        }
        finally
        {
            foreach (var t in weights.Values.Concat(state.Values)) t.Dispose();
        }
    }

    public virtual void Dispose()
    {
        _scaler?.Dispose();
        Optimizer.Dispose();
        Model.Dispose();
        GC.SuppressFinalize(this);
    }
}
