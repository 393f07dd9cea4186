using Kit.Display;
namespace Kit.Training.Parameters;

/// <summary>
/// The "kit" profile: the recipe's own defaults (<see cref="RecipeDefaults"/>: rate, batch, length, decay, each
/// with its source) on batches that fit the accelerator and lose no clip. For TorToiSe's GPT these are DLAS's
/// rules; where it differs from param_calc.py, and why:
/// <list type="bullet">
/// <item>Batch size: at most the recipe's batch (DLAS's 64 for the GPT) and the clip count, with gradient
/// accumulation (MegaBatchFactor) raised until one pass fits the recipe's memory estimate
/// (<see cref="IMemoryModel"/>); a divisor of the clip count within 3/4 of that is preferred so every batch is full.</item>
/// <item>No clip dropped: the kit's trainer keeps the last, shorter batch, so steps per epoch =
/// ⌈clips / TrainBS⌉ and no even split is needed.</item>
/// <item>Validation: when the dataset has no separate list, 10 % of the clips (1–100) are carved out with a
/// fixed seed (<see cref="ValidationCarve"/>) and reported, instead of validating on the training clips.</item>
/// <item>Warmup: two epochs (a tenth of the way to the first decay), at most 500 steps, unless the recipe says.</item>
/// <item>Length: the recipe's (80 epochs for the GPT, eight past the last decay at epoch 72) rather than a fixed 50,000 steps.</item>
/// </list>
/// </summary>
public static class KitProfile
{
    public const string Name = "kit";
    public const int DefaultSeed = 1337;
    public const int MaxWarmupSteps = 500;
    public const int Epochs = 80;

    public static ParameterSet Calculate(DatasetStats stats, CalculatorOptions options)
    {
        var b = new ParameterBuilder(options.Overrides);
        var warnings = new List<ParameterWarning>();
        var recipe = options.Recipe;
        string From<T>(Sourced<T> d) => $"{recipe.Recipe}: {d.Why}";

        var seed = b.Take("Seed", DefaultSeed, "the kit's fixed seed: the same dataset gives the same split and order");
        var fp16 = b.Take("Fp16", recipe.Fp16.Value ? Recipes.TrainingPrecision.Half : Recipes.TrainingPrecision.Fp32, From(recipe.Fp16));

        // Validation: the dataset's own list, else a seeded carve out of the training clips.
        IReadOnlyList<ClipStats> train = stats.Train, val = stats.Val;
        ValidationCarve? carve = null;
        var source = ValidationSource.List;
        if (!stats.HasSeparateValidation || stats.Val.Count == 0)
        {
            if (stats.Train.Count < 2)
                throw new ParameterException($"{stats.TrainListPath}: 1 usable clip; at least 2 are needed to train and validate");
            carve = ValidationCarve.From(stats.Train, seed);
            (train, val, source) = (carve.Train, carve.Val, ValidationSource.Carved);
            var why = stats.ValIsTrain ? "the validation list is the training list" :
                      stats.ValListPath is null ? "the dataset has no validation list" : $"{stats.ValListPath} has no usable clips";
            if (stats.ValIsTrain)
                warnings.Add(new("same-file", $"the validation list is the training list ({stats.TrainListPath}); the kit carves a validation set instead"));
            warnings.Add(new("carved-validation",
                $"{why}: {val.Count} of {stats.Train.Count:N0} clips (10 %, seed {seed}) are held out for validation: " +
                string.Join(", ", val.Select(c => c.Id))));
        }
        int nTrain = train.Count, nVal = val.Count;
        if (nTrain < DlasRules.SmallTrainingSet)
            warnings.Add(new("small-train", $"only {nTrain:N0} training clips: a very small dataset, under {DlasRules.SmallTrainingSet} (as param_calc.py warns)"));
        if (nVal < DlasRules.SmallValidationSet)
            warnings.Add(new("small-val", $"only {nVal:N0} validation clips, under {DlasRules.SmallValidationSet}: the validation loss will be noisy (as param_calc.py warns)"));

        // Memory: what the user named, else what nvidia-smi finds, else Colab's T4.
        var memory = options.GpuMemory ?? (options.DetectGpu ? GpuMemory.Detect() : null) ?? GpuMemory.ColabT4;
        var all = train.Concat(val).ToArray();
        double longest = all.Max(c => c.DurationSeconds);
        int longestText = all.Max(c => c.TextLength);
        var model = recipe.Memory;
        var fits = model.MaxMicroBatch(memory.Bytes, longest, longestText, fp16 != Recipes.TrainingPrecision.Fp32); // the estimate is for half precision when asked for any
        if (fits == 0)
            warnings.Add(new("memory", $"{model.Description}: the model alone needs about {ByteSize.Format(model.FixedBytes)} for training: it does not fit in " +
                                       $"{memory.Display} ({memory.Source}) even one clip at a time (rule: batch bounded by accelerator memory)"));
        var perPass = Math.Max(1, fits);
        var limit = $"{perPass:N0} clips per pass of {model.Description} fit in {memory.Display} ({memory.Source}), longest clip {longest:0.0} s, {longestText} characters";

        var target = Math.Min(recipe.Batch.Value, nTrain);
        var mega = b.Take("MegaBatchFactor", (target + perPass - 1) / perPass,
            target <= perPass ? $"1: a whole batch of {target} fits in one pass: {limit}"
                              : $"⌈{target} / {perPass}⌉, so each pass fits: {limit}");
        var (trainBsCalc, trainWhy) = ChooseBatch(nTrain, target, mega, memory, fits > 0 && target > perPass, recipe);
        var trainBs = b.Take("TrainBS", trainBsCalc, trainWhy);
        ValueRules.RequireBatchFitsDataset(trainBs, nTrain);
        var valBs = b.Take("ValBS", Math.Min(Math.Min(nVal, perPass), DlasRules.DefaultValBatch),
            $"min({nVal:N0} validation clips, DLAS's default {DlasRules.DefaultValBatch}, {perPass:N0} per pass in memory); the last batch may be shorter");

        // No partial batch is dropped, so an epoch is ⌈clips / batch⌉ steps.
        var steps = (nTrain + trainBs - 1) / trainBs;
        var perEpoch = $"{Plural(steps, "step", "steps")} per epoch (⌈{nTrain:N0} clips / TrainBS {trainBs}⌉, last batch kept)";
        var print = b.Take("PrintFreq", recipe.PrintFreq?.Value ?? DlasRules.PrintFreq(steps),
            recipe.PrintFreq is { } pf ? From(pf) : $"min(100, max(20, {Plural(steps, "step", "steps")} per epoch)), as DLAS");
        var valFreq = b.Take("ValFreq", recipe.ValFreq?.Value ?? DlasRules.ValFreq(print),
            recipe.ValFreq is { } vf ? From(vf) : $"3 × PrintFreq {print}, as DLAS");
        var save = b.Take("SaveCheckpointFreq", recipe.SaveCheckpointFreq?.Value ?? DlasRules.ValFreq(print),
            recipe.SaveCheckpointFreq is { } sf ? From(sf) : $"3 × PrintFreq {print}, as DLAS");
        var rate = b.Take("TrainingRate", recipe.TrainingRate.Value, From(recipe.TrainingRate));
        var name = b.Take("ExperimentName", ParameterCalculator.DefaultExperimentName(stats), "the dataset's folder name");
        var total = recipe.Epochs is { } epochs
            ? b.Take("TotalSteps", checked(epochs.Value * steps), $"{epochs.Value} epochs × {Plural(steps, "step", "steps")}: {From(epochs)}")
            : b.Take("TotalSteps", recipe.TotalSteps!.Value, From(recipe.TotalSteps));
        var decayEpochs = recipe.DecayEpochs.Value;
        var decay = decayEpochs.Count == 0
            ? b.TakeSteps("LRDecaySteps", [], $"none: {From(recipe.DecayEpochs)}")
            : b.TakeSteps("LRDecaySteps", decayEpochs.Select(e => checked(e * steps)).ToArray(),
                $"epochs [{string.Join(", ", decayEpochs)}] × {perEpoch}: {From(recipe.DecayEpochs)}");
        var warmup = recipe.WarmupSteps is { } w
            ? b.Take("WarmupSteps", w.Value, From(w))
            : decay.Length == 0
                ? b.Take("WarmupSteps", 0, $"{recipe.Recipe}: no decay to warm up to")
                : b.Take("WarmupSteps", Math.Min(MaxWarmupSteps, Math.Max(1, decay[0] / 10)),
                    $"a tenth of the way to the first decay (step {decay[0]:N0}), at most {MaxWarmupSteps}");

        var values = new TrainingParameters
        {
            TrainBS = trainBs, ValBS = valBs, ValFreq = valFreq, LRDecaySteps = decay, PrintFreq = print,
            SaveCheckpointFreq = save, TrainingRate = rate, Fp16 = fp16, ExperimentName = name,
            WarmupSteps = warmup, MegaBatchFactor = mega, Seed = seed, TotalSteps = total,
        };
        var entries = b.Entries;
        warnings.AddRange(ValueRules.Check(new ValueRules.Context(recipe, values, nTrain, nVal, steps, DropsPartialBatches: false,
            fits, memory, n => entries.First(e => e.Name == n).Overridden)));

        return new ParameterSet
        {
            Profile = Name, Dataset = stats, Values = values, Entries = entries, Warnings = warnings,
            TrainClips = train, ValClips = val, ValidationSource = source, Carve = carve, StepsPerEpoch = steps,
            ClipsLeftOutPerEpoch = 0, Memory = memory, MaxMicroBatch = fits, Recipe = recipe,
        };
    }

    /// <summary>
    /// The largest multiple of the accumulation factor up to the target, preferring a divisor of the clip
    /// count within 3/4 of it so every batch is full; otherwise the last batch is simply shorter.
    /// </summary>
    private static (int Batch, string Reason) ChooseBatch(int clips, int target, int mega, GpuMemory memory, bool memoryBound, RecipeDefaults recipe)
    {
        var top = target - target % mega;
        if (top < 1) top = target;
        var bound = memoryBound ? $"under the {memory.Display} limit with MegaBatchFactor {mega}"
                                : $"at most {recipe.Recipe}'s batch {recipe.Batch.Value} ({recipe.Batch.Why}) and the {clips:N0} clips";
        var floor = (3 * top + 3) / 4;
        for (var d = top; d >= floor; d--)
        {
            if (clips % d == 0 && d % mega == 0)
                return (d, $"largest divisor of {clips:N0} clips {bound}: {Plural(clips / d, "full batch", "full batches")}");
        }
        var (full, rest) = Math.DivRem(clips, top);
        return (top, $"{top}, {bound}: {clips:N0} clips = {full:N0} × {top} + a last batch of {rest} (the kit keeps it; no divisor within 3/4)");
    }

    internal static string Plural(int n, string one, string many) => $"{n:N0} {(n == 1 ? one : many)}";
}
