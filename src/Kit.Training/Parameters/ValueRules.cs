using Kit.Display;
namespace Kit.Training.Parameters;

/// <summary>
/// Checks on the final values, whoever chose them. Each says which rule it is and marks whether a value the
/// user set is the cause, so an override that breaks a rule is named as such. A batch larger than the
/// dataset is an error, not a warning: DLAS would then train nothing at all (its loader drops the partial
/// batch, the Colab guide's "when batch size &lt; dataset size the training bugs out").
/// </summary>
internal static class ValueRules
{
    /// <param name="Recipe">The recipe the values train: its decay, rate range and checkpoint size are what the rules hold them to.</param>
    public sealed record Context(RecipeDefaults Recipe, TrainingParameters Values, int TrainClips, int ValClips, int StepsPerEpoch,
                                 bool DropsPartialBatches, int? MaxMicroBatch, GpuMemory? Memory,
                                 Func<string, bool> Overridden);

    public static void RequireBatchFitsDataset(int trainBs, int trainClips)
    {
        if (trainBs > trainClips)
            throw new ParameterException(
                $"TrainBS {trainBs} is more than the {trainClips:N0} usable training clips (rule: a batch must fit in the dataset; " +
                "DLAS drops the partial batch and would train nothing)");
    }

    public static IEnumerable<ParameterWarning> Check(Context c)
    {
        var p = c.Values;
        ParameterWarning W(string rule, string message, params string[] names)
        {
            var set = names.Where(c.Overridden).ToArray();
            var by = set.Length > 0 ? $" ({string.Join(", ", set)} set by you)" : "";
            return new ParameterWarning(rule, message + by, names.FirstOrDefault(), set.Length > 0);
        }

        var leftOut = c.TrainClips % p.TrainBS;
        if (c.DropsPartialBatches && leftOut != 0)
            yield return W("uneven-batch",
                $"TrainBS {p.TrainBS} does not divide the {c.TrainClips:N0} training clips: {leftOut} are left out of every epoch " +
                "(rule: DLAS drops partial batches)", "TrainBS");

        if (p.ValBS > c.ValClips)
            yield return W("val-batch-over-val",
                $"ValBS {p.ValBS} is more than the {c.ValClips:N0} validation clips (rule: a batch must fit in its set)", "ValBS");

        if (p.TrainBS < p.MegaBatchFactor)
            yield return W("micro-batch-empty",
                $"TrainBS {p.TrainBS} is smaller than MegaBatchFactor {p.MegaBatchFactor} (rule: each batch is split into " +
                "MegaBatchFactor micro-batches, so some would be empty)", "TrainBS", "MegaBatchFactor");

        if (c.MaxMicroBatch is { } max && c.Memory is { } memory)
        {
            var micro = (p.TrainBS + p.MegaBatchFactor - 1) / p.MegaBatchFactor;
            if (micro > Math.Max(max, 1))
                yield return W("memory",
                    $"{micro} clips per pass (TrainBS {p.TrainBS} / MegaBatchFactor {p.MegaBatchFactor}) exceed the estimated {max} " +
                    $"that fit in {memory.Display} (rule: batch bounded by accelerator memory; raise MegaBatchFactor or lower TrainBS)",
                    "TrainBS", "MegaBatchFactor");
        }

        var r = c.Recipe;
        if (r.DecayEpochs.Value.Count > 0 && p.LRDecaySteps.Count > 0)
        {
            var firstEpoch = r.DecayEpochs.Value[0];
            var firstDecayDue = firstEpoch * c.StepsPerEpoch;
            if (p.LRDecaySteps[0] > firstDecayDue)
                yield return W("decay-late",
                    $"the first learning-rate decay at step {p.LRDecaySteps[0]:N0} comes after epoch {firstEpoch} " +
                    $"(step {firstDecayDue:N0}) (rule: {r.Recipe} decays by epoch {firstEpoch}; users see the loss rise without it)", "LRDecaySteps");
        }

        if (p.LRDecaySteps.Count > 0 && p.LRDecaySteps[^1] > p.TotalSteps)
            yield return W("decay-after-end",
                $"the last learning-rate decay at step {p.LRDecaySteps[^1]:N0} is after the run ends at {p.TotalSteps:N0} " +
                "(rule: every decay within the run)", "LRDecaySteps", "TotalSteps");

        if (p.LRDecaySteps.Count > 0 && p.WarmupSteps >= p.LRDecaySteps[0])
            yield return W("warmup-past-decay",
                $"warmup of {p.WarmupSteps:N0} steps reaches the first decay at {p.LRDecaySteps[0]:N0} (rule: warmup ends before the first decay)",
                "WarmupSteps", "LRDecaySteps");

        if (p.SaveCheckpointFreq > p.TotalSteps)
            yield return W("never-saved",
                $"SaveCheckpointFreq {p.SaveCheckpointFreq:N0} is longer than the run ({p.TotalSteps:N0} steps): nothing would be saved " +
                "(rule: at least one checkpoint per run)", "SaveCheckpointFreq", "TotalSteps");

        if (p.SaveCheckpointFreq < p.PrintFreq)
            yield return W("checkpoint-often",
                $"a checkpoint every {p.SaveCheckpointFreq:N0} steps, more often than a progress line ({p.PrintFreq:N0}): each {r.Recipe} " +
                $"checkpoint is about {ByteSize.Format(r.Memory.CheckpointBytes.Weights)} (plus a {ByteSize.Format(r.Memory.CheckpointBytes.TrainingState)} " +
                "training state) and the disk holds every one kept (rule: SaveCheckpointFreq ≥ PrintFreq)", "SaveCheckpointFreq", "PrintFreq");

        if (p.ValFreq > p.TotalSteps)
            yield return W("never-validated",
                $"ValFreq {p.ValFreq:N0} is longer than the run ({p.TotalSteps:N0} steps): validation would never run " +
                "(rule: at least one validation per run)", "ValFreq", "TotalSteps");

        if (p.TrainingRate > r.HighestRate.Value)
            yield return W("high-rate",
                $"TrainingRate {ParameterCatalog.Format(p.TrainingRate)} is above {ParameterCatalog.Format(r.HighestRate.Value)}, the highest " +
                $"rate {r.Recipe}'s sources train at: {r.HighestRate.Why} (rule: a rate within the recipe's range)", "TrainingRate");

        if (p.Fp16 != Recipes.TrainingPrecision.Fp32 && !r.Fp16.Value)
            yield return W("fp16-untested",
                $"Fp16 is on, but {r.Recipe} trains in full precision: {r.Fp16.Why} (rule: fp32 unless memory forces it)",
                "Fp16");
    }
}
