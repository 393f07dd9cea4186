namespace Kit.Training.Parameters;

/// <summary>
/// The "dlas" profile: exactly the numbers DLAS's param_calc.py (the Colab cell) gives, counting only the
/// clips the dataset check found usable, with its four warnings. The kit adds its value checks
/// (<see cref="ValueRules"/>), including how many clips DLAS's dropped partial batch leaves out.
/// </summary>
public static class DlasProfile
{
    public const string Name = "dlas";

    public static ParameterSet Calculate(DatasetStats stats, CalculatorOptions options)
    {
        var b = new ParameterBuilder(options.Overrides);
        var warnings = new List<ParameterWarning>();
        var train = stats.Train;

        // param_calc.py reads both list paths; with none for validation the Colab user points both at train.txt.
        var source = stats.HasSeparateValidation ? ValidationSource.List : ValidationSource.SameAsTrain;
        var val = source == ValidationSource.List ? stats.Val : train;
        if (source == ValidationSource.List && val.Count == 0)
            throw new ParameterException($"{stats.ValListPath}: no usable validation clips (run the dataset check to see why)");
        int nTrain = train.Count, nVal = val.Count;

        // param_calc.py's warnings, in its order.
        if (source == ValidationSource.SameAsTrain)
            warnings.Add(new("same-file", stats.ValListPath is null
                ? "no validation list: DLAS needs one, so validation uses the training list and measures nothing new (param_calc.py: train and val are the same file)"
                : $"the validation list is the training list ({stats.TrainListPath}): validation measures nothing new (param_calc.py)"));
        if (nTrain < DlasRules.SmallTrainingSet)
            warnings.Add(new("small-train", $"only {nTrain:N0} training clips: a very small dataset, under {DlasRules.SmallTrainingSet} (param_calc.py)"));
        if (nVal < DlasRules.SmallValidationSet)
            warnings.Add(new("small-val", $"only {nVal:N0} validation clips, under {DlasRules.SmallValidationSet}: the validation batch is scaled down to fit (param_calc.py)"));
        if (nTrain < DlasRules.DefaultTrainBatch)
            warnings.Add(new("train-below-batch", $"{nTrain:N0} training clips are fewer than a single default batch of {DlasRules.DefaultTrainBatch}: the whole set is one batch (param_calc.py)"));

        var trainBs = b.Take("TrainBS", DlasRules.BatchSize(nTrain, DlasRules.DefaultTrainBatch),
            ExplainBatch(nTrain, DlasRules.DefaultTrainBatch, "training"));
        ValueRules.RequireBatchFitsDataset(trainBs, nTrain);
        var valBs = b.Take("ValBS", DlasRules.BatchSize(nVal, options.DlasValBatch),
            ExplainBatch(nVal, options.DlasValBatch, "validation"));

        // param_calc.py: steps_per_epoch = N_train // TrainBS (integer division: the dropped partial batch is no step).
        var steps = nTrain / trainBs;
        var perEpoch = $"{KitProfile.Plural(steps, "step", "steps")} per epoch ({nTrain:N0} clips // TrainBS {trainBs})";
        var decay = b.TakeSteps("LRDecaySteps", DlasRules.LRDecaySteps(steps),
            $"epochs [20, 40, 56, 72] × {perEpoch} (param_calc.py)");
        var print = b.Take("PrintFreq", DlasRules.PrintFreq(steps), $"min(100, max(20, {KitProfile.Plural(steps, "step", "steps")} per epoch)) (param_calc.py)");
        var valFreq = b.Take("ValFreq", DlasRules.ValFreq(print), $"3 × PrintFreq {print} (param_calc.py)");
        var save = b.Take("SaveCheckpointFreq", DlasRules.ValFreq(print), $"3 × PrintFreq {print}, as ValFreq (param_calc.py)");
        var rate = b.Take("TrainingRate", DlasRules.TrainingRate, "the Colab form's default; \"1e-5 has been good experimentally\"");
        var fp16 = b.Take("Fp16", Recipes.TrainingPrecision.Fp32, "the Colab form's default; half precision is \"not tested\"");
        var name = b.Take("ExperimentName", ParameterCalculator.DefaultExperimentName(stats), "the dataset's folder name");
        var warmup = b.Take("WarmupSteps", 0, "EXAMPLE_gpt.yml: warmup_iter -1 (no warmup)");
        var mega = b.Take("MegaBatchFactor", DlasRules.MegaBatchFactor, "EXAMPLE_gpt.yml: mega_batch_factor 4");
        var seed = b.Take("Seed", KitProfile.DefaultSeed, "EXAMPLE_gpt.yml's suggested manual_seed");
        var total = b.Take("TotalSteps", DlasRules.TotalSteps, "EXAMPLE_gpt.yml: niter 50000 (the Colab leaves it)");

        var values = new TrainingParameters
        {
            TrainBS = trainBs, ValBS = valBs, ValFreq = valFreq, LRDecaySteps = decay, PrintFreq = print,
            SaveCheckpointFreq = save, TrainingRate = rate, Fp16 = fp16, ExperimentName = name,
            WarmupSteps = warmup, MegaBatchFactor = mega, Seed = seed, TotalSteps = total,
        };

        // Memory is checked only against a size the user names: DLAS itself never looks.
        var memory = options.GpuMemory;
        int? maxMicro = null;
        if (memory is not null)
        {
            var all = train.Concat(val).ToArray();
            maxMicro = GptMemoryModel.TortoiseGpt.MaxMicroBatch(memory.Bytes, all.Max(c => c.DurationSeconds), all.Max(c => c.TextLength), fp16 != Recipes.TrainingPrecision.Fp32);
        }
        var entries = b.Entries;
        warnings.AddRange(ValueRules.Check(new ValueRules.Context(RecipeDefaults.TortoiseGpt, values, nTrain, nVal, steps, DropsPartialBatches: true,
            maxMicro, memory, n => entries.First(e => e.Name == n).Overridden)));

        return new ParameterSet
        {
            Profile = Name, Dataset = stats, Values = values, Entries = entries, Warnings = warnings,
            TrainClips = train, ValClips = val, ValidationSource = source, StepsPerEpoch = steps,
            ClipsLeftOutPerEpoch = nTrain % trainBs, Memory = memory, MaxMicroBatch = maxMicro,
            Recipe = RecipeDefaults.TortoiseGpt,
        };
    }

    /// <summary>Which branch of param_calc.py's batch rule applied, with its arithmetic.</summary>
    internal static string ExplainBatch(int n, int bs, string set)
    {
        if (n < bs) return $"all {n:N0} {set} clips in one batch: fewer than the default {bs} (param_calc.py)";
        var (steps, rem) = Math.DivRem(n, bs);
        if (rem == 0) return $"the default {bs} divides {n:N0} {set} clips evenly (param_calc.py)";
        if (2 * steps > bs)
            return $"the default {bs}: {n:N0} clips = {steps:N0} × {bs} + {rem}, kept because 2 × {steps:N0} batches > {bs} (param_calc.py)";
        if (2 * rem < bs)
            return $"{n:N0} // {steps} = {n / steps}: {n:N0} clips = {steps} × {bs} + {rem}; a bigger batch absorbs the {rem} left over (param_calc.py)";
        return $"{n:N0} // {steps + 1} = {n / (steps + 1)}: {n:N0} clips = {steps} × {bs} + {rem}; one more, smaller batch takes the {rem} left over (param_calc.py)";
    }
}
