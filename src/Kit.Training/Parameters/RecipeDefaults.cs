namespace Kit.Training.Parameters;

/// <summary>A default and why it is that: the source it comes from, shown in `kit params`'s reason column.</summary>
public sealed record Sourced<T>(T Value, string Why);

/// <summary>
/// What a recipe trains with unless told otherwise, each value with its reason and source: the parameter
/// calculator's kit profile starts from these, and the trainer takes the gradient clipping and decay factor from
/// them. A recipe that makes its own optimizer reads <see cref="WeightDecay"/> from here, so the value lives in one place.
/// The run's length is <see cref="Epochs"/> or <see cref="TotalSteps"/>; the frequencies left null follow DLAS's
/// param_calc.py rules (PrintFreq from the epoch's steps, ValFreq = SaveCheckpointFreq = 3 × PrintFreq).
/// </summary>
public sealed record RecipeDefaults
{
    /// <summary>The recipe's name, which every reason starts with.</summary>
    public required string Recipe { get; init; }

    public required Sourced<double> TrainingRate { get; init; }

    /// <summary>The highest rate the recipe's sources train at: above it `kit params` warns (rule high-rate).</summary>
    public required Sourced<double> HighestRate { get; init; }

    /// <summary>Clips per optimizer step before the dataset and memory bound it.</summary>
    public required Sourced<int> Batch { get; init; }

    public Sourced<int>? Epochs { get; init; }
    public Sourced<int>? TotalSteps { get; init; }

    /// <summary>The epochs at which the rate is multiplied by <see cref="DecayGamma"/>; empty: no decay.</summary>
    public required Sourced<IReadOnlyList<int>> DecayEpochs { get; init; }
    public required Sourced<double> DecayGamma { get; init; }

    /// <summary>Null: a tenth of the way to the first decay, at most <see cref="KitProfile.MaxWarmupSteps"/>.</summary>
    public Sourced<int>? WarmupSteps { get; init; }

    /// <summary>The gradients' norm is clipped to this before every update.</summary>
    public required Sourced<double> MaxGradNorm { get; init; }

    /// <summary>The optimizer's weight decay.</summary>
    public required Sourced<double> WeightDecay { get; init; }

    /// <summary>Half precision by default (the Fp16 parameter: true, or false for fp32).</summary>
    public required Sourced<bool> Fp16 { get; init; }

    public Sourced<int>? PrintFreq { get; init; }
    public Sourced<int>? ValFreq { get; init; }
    public Sourced<int>? SaveCheckpointFreq { get; init; }

    /// <summary>
    /// How the recipe reads the transcripts: espeak-ng phonemes (true) or letters (false); null: it reads none (run.yml's
    /// <c>model.phonemes</c> sets it for one run).
    /// </summary>
    public Sourced<bool>? Phonemes { get; init; }

    /// <summary>The training memory estimate the batch is fitted to.</summary>
    public required IMemoryModel Memory { get; init; }

    /// <summary>Checks the declaration itself: exactly one run length, a rate within its own range, decays ascending.</summary>
    public RecipeDefaults Validate()
    {
        if ((Epochs is null) == (TotalSteps is null))
            throw new InvalidOperationException($"recipe {Recipe}: its defaults must give exactly one of Epochs and TotalSteps");
        if (!(TrainingRate.Value > 0 && TrainingRate.Value <= HighestRate.Value))
            throw new InvalidOperationException($"recipe {Recipe}: TrainingRate {TrainingRate.Value} is not within (0, HighestRate {HighestRate.Value}]");
        if (DecayEpochs.Value.Count is not (0 or 4) || DecayEpochs.Value.Zip(DecayEpochs.Value.Skip(1)).Any(p => p.Second <= p.First))
            throw new InvalidOperationException($"recipe {Recipe}: DecayEpochs must be empty or 4 ascending epochs");
        if (!(MaxGradNorm.Value > 0) || WeightDecay.Value < 0 || !(DecayGamma.Value is > 0 and <= 1))
            throw new InvalidOperationException($"recipe {Recipe}: MaxGradNorm must be positive, WeightDecay ≥ 0, DecayGamma in (0, 1]");
        return this;
    }

    /// <summary>
    /// TorToiSe's GPT fine-tuned as DLAS's EXAMPLE_gpt.yml and the Colab guide do: the kit profile's rules as they
    /// were before recipes declared defaults (the dlas profile is param_calc.py itself and reads none of this).
    /// </summary>
    public static RecipeDefaults TortoiseGpt { get; } = new RecipeDefaults
    {
        Recipe = "tortoise-gpt",
        TrainingRate = new(DlasRules.TrainingRate, "1e-5, the Colab guide's fine-tuning rate"),
        HighestRate = new(1e-4, "1e-4, the rate EXAMPLE_gpt.yml used before it was lowered to 1e-5 for fine-tuning (fine-tune at ≤ 1e-4)"),
        Batch = new(DlasRules.DefaultTrainBatch, "DLAS's default 64 (param_calc.py)"),
        Epochs = new(KitProfile.Epochs, "eight epochs past the last decay at epoch 72"),
        DecayEpochs = new(DlasRules.DecayEpochs, "epochs [20, 40, 56, 72], as DLAS"),
        DecayGamma = new(0.5, "EXAMPLE_gpt.yml: MultiStepLR gamma 0.5 (the rate halves)"),
        MaxGradNorm = new(4, "EXAMPLE_gpt.yml clips the gradients' norm at 4"),
        WeightDecay = new(1e-2, "EXAMPLE_gpt.yml: AdamW weight_decay 0.01"),
        Fp16 = new(false, "full precision: half precision is \"not tested\" in DLAS and may cost quality"),
        Memory = GptMemoryModel.TortoiseGpt,
    }.Validate();
}
