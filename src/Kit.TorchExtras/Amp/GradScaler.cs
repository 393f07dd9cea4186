using TorchSharp;
using static TorchSharp.torch;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Kit.TorchExtras;

public static partial class amp
{
    /// <summary>
    /// Loss scaling for float16 training, as <c>torch.amp.GradScaler</c>: float16 gradients of small losses
    /// underflow to zero, so the loss is multiplied by a large scale before backward and the gradients
    /// divided by it before the step. A step whose gradients hold an inf or NaN (the scale was too large)
    /// is skipped and the scale halved; <see cref="growth_interval"/> clean steps in a row double it.
    /// Use per step: <c>scale(loss).backward()</c>, optionally <c>unscale_(opt)</c> then clip,
    /// <c>step(opt)</c>, <c>update()</c>. Written with TorchSharp's tensor ops (its kernels
    /// _amp_foreach_non_finite_check_and_unscale_ and _amp_update_scale_ are not wrapped): the same
    /// arithmetic, float32 scale, reciprocal taken in double. <see cref="step"/> reads one number back
    /// (whether to skip), as PyTorch's does.
    /// </summary>
    public sealed class GradScaler : IDisposable
    {
        private enum Stage { Ready, Unscaled, Stepped }

        private sealed class OptimizerState
        {
            public Stage Stage = Stage.Ready;
            public bool? FoundInf;
        }

        private readonly Dictionary<Optimizer, OptimizerState> perOptimizer = new(ReferenceEqualityComparer.Instance);
        private double initScale;
        private long initGrowthTracker;
        private Tensor? scaleTensor;
        private long growthTracker;

        public GradScaler(double init_scale = 65536.0, double growth_factor = 2.0, double backoff_factor = 0.5, int growth_interval = 2000, bool enabled = true)
        {
            if (!(growth_factor > 1)) throw new ArgumentException($"growth_factor must be above 1 (it is {growth_factor})");
            if (!(backoff_factor < 1 && backoff_factor > 0)) throw new ArgumentException($"backoff_factor must be in (0, 1) (it is {backoff_factor})");
            if (growth_interval < 1) throw new ArgumentException($"growth_interval must be at least 1 (it is {growth_interval})");
            initScale = init_scale;
            this.growth_factor = growth_factor;
            this.backoff_factor = backoff_factor;
            this.growth_interval = growth_interval;
            this.enabled = enabled;
        }

        public bool enabled { get; }
        public double growth_factor { get; private set; }
        public double backoff_factor { get; private set; }
        public int growth_interval { get; private set; }

        /// <summary>The loss times the current scale (the loss itself when disabled).</summary>
        public Tensor scale(Tensor outputs)
        {
            if (!enabled) return outputs;
            EnsureState(outputs.device);
            using var s = scaleTensor!.to(outputs.device);
            return outputs * s;
        }

        /// <summary>Divides the optimizer's gradients by the scale in place and records whether any was inf/NaN. Once per step, before clipping.</summary>
        public void unscale_(Optimizer optimizer)
        {
            if (!enabled) return;
            var state = StateOf(optimizer);
            if (state.Stage == Stage.Unscaled) throw new InvalidOperationException("unscale_() has already been called on this optimizer since the last update()");
            if (state.Stage == Stage.Stepped) throw new InvalidOperationException("unscale_() is being called after step()");
            if (scaleTensor is null) throw new InvalidOperationException("unscale_() before any scale(): no gradients were scaled by this GradScaler");
            using var scope = NewDisposeScope();
            // The reciprocal in double, as PyTorch's, so 1/scale rounds once.
            var invScale = scaleTensor.to(ScalarType.Float64).reciprocal().to(ScalarType.Float32);
            var nonFinite = new List<Tensor>();
            using (no_grad())
            {
                foreach (var p in optimizer.parameters())
                {
                    var g = p.grad;
                    if (g is null) continue;
                    // As _amp_foreach_non_finite_check_and_unscale_: every gradient is multiplied, found or not.
                    nonFinite.Add(g.isfinite().logical_not().any());
                    g.mul_(invScale.to(g.device));
                }
            }
            state.FoundInf = nonFinite.Count > 0 && stack(nonFinite.Select(t => t.cpu()).ToArray()).any().item<bool>();
            state.Stage = Stage.Unscaled;
        }

        /// <summary>Unscales (unless <see cref="unscale_"/> already did) and steps the optimizer unless a gradient was inf/NaN. Returns whether it stepped.</summary>
        public bool step(Optimizer optimizer)
        {
            if (!enabled)
            {
                optimizer.step();
                return true;
            }
            var state = StateOf(optimizer);
            if (state.Stage == Stage.Stepped) throw new InvalidOperationException("step() has already been called since the last update()");
            if (state.Stage == Stage.Ready) unscale_(optimizer);
            var skip = state.FoundInf == true;
            if (!skip) optimizer.step();
            state.Stage = Stage.Stepped;
            return !skip;
        }

        /// <summary>Adjusts the scale after this step's optimizers: backs it off on an overflow, grows it after growth_interval clean steps.</summary>
        public void update(double? new_scale = null)
        {
            if (!enabled) return;
            if (scaleTensor is null) return;
            if (new_scale is { } fixedScale) scaleTensor.fill_(fixedScale);
            else
            {
                var found = perOptimizer.Values.Where(s => s.FoundInf is not null).Select(s => s.FoundInf!.Value).ToArray();
                if (found.Length == 0) throw new InvalidOperationException("update() with no inf checks recorded: call step() (or unscale_()) first");
                // _amp_update_scale_'s rule, on the float32 scale.
                var current = scaleTensor.item<float>();
                if (found.Any(f => f))
                {
                    scaleTensor.fill_((float)(current * backoff_factor));
                    growthTracker = 0;
                }
                else if (growthTracker + 1 == growth_interval)
                {
                    var grown = (float)(current * growth_factor);
                    if (float.IsFinite(grown)) scaleTensor.fill_(grown);
                    growthTracker = 0;
                }
                else growthTracker++;
            }
            perOptimizer.Clear();
        }

        /// <summary>The current scale (the initial one before the first <see cref="scale"/>; 1 when disabled).</summary>
        public double get_scale() => !enabled ? 1.0 : scaleTensor is null ? initScale : scaleTensor.item<float>();

        /// <summary>The clean steps since the last change of scale.</summary>
        public long get_growth_tracker() => scaleTensor is null ? initGrowthTracker : growthTracker;

        /// <summary>The scaler's state as named tensors (new copies the caller disposes); empty when disabled.</summary>
        public Dictionary<string, Tensor> state_dict()
        {
            if (!enabled) return new();
            return new Dictionary<string, Tensor>
            {
                ["scale"] = tensor(get_scale(), ScalarType.Float64),
                ["growth_factor"] = tensor(growth_factor, ScalarType.Float64),
                ["backoff_factor"] = tensor(backoff_factor, ScalarType.Float64),
                ["growth_interval"] = tensor((long)growth_interval),
                ["_growth_tracker"] = tensor(get_growth_tracker()),
            };
        }

        public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
        {
            if (!enabled) return;
            string[] keys = ["scale", "growth_factor", "backoff_factor", "growth_interval", "_growth_tracker"];
            var missing = keys.Where(k => !state.ContainsKey(k)).ToArray();
            if (missing.Length > 0) throw new ArgumentException($"GradScaler state lacks {string.Join(", ", missing)}");
            initScale = state["scale"].to(ScalarType.Float64).item<double>();
            growth_factor = state["growth_factor"].to(ScalarType.Float64).item<double>();
            backoff_factor = state["backoff_factor"].to(ScalarType.Float64).item<double>();
            growth_interval = (int)state["growth_interval"].to(ScalarType.Int64).item<long>();
            initGrowthTracker = state["_growth_tracker"].to(ScalarType.Int64).item<long>();
            scaleTensor?.fill_(initScale);
            growthTracker = initGrowthTracker;
        }

        public void Dispose()
        {
            perOptimizer.Clear();
            scaleTensor?.Dispose();
            scaleTensor = null;
        }

        private OptimizerState StateOf(Optimizer optimizer)
        {
            if (!perOptimizer.TryGetValue(optimizer, out var s)) perOptimizer[optimizer] = s = new OptimizerState();
            return s;
        }

        private void EnsureState(Device device)
        {
            if (scaleTensor is not null) return;
            scaleTensor = full([1], initScale, ScalarType.Float32, device).DetachFromDisposeScope();
            growthTracker = initGrowthTracker;
        }
    }
}
