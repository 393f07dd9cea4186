using Kit.TorchExtras;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kit.Models.Signal;

/// <summary>WaveRNN's two 256-way predictions for each sample: logits (B, T, 256) of the coarse and the fine byte.</summary>
public sealed record SignalPrediction(Tensor Coarse, Tensor Fine);

/// <summary>
/// WaveRNN with a dual softmax over 16-bit audio (Kalchbrenner et al. 2018, as Fatchord and WellSaid wrote
/// it): one GRU reads [previous coarse, previous fine, current coarse, conditioning] per sample. Its hidden
/// state is split in halves: the first half predicts the coarse byte and may not see the current coarse
/// byte (its input weights for it are masked to zero in every forward pass, so the mask holds through
/// training), the second half sees it and predicts the fine byte. Each half has its own two-layer head.
/// </summary>
public sealed class WaveRnnModel : nn.Module<Tensor, Tensor, Tensor, Tensor, SignalPrediction>
{
    private const int SampleInputs = 3; // previous coarse, previous fine, current coarse

    private readonly ConditioningNetwork conditioning;
    private readonly Parameter weight_ih, weight_hh, bias_ih, bias_hh;
    private readonly Linear coarse1, coarse2, fine1, fine2;
    // Registered by hand, not persistent (not in the state dict, as in the PyTorch model); the attribute gives
    // RegisterComponents the registered name, so it skips the field instead of adding "_inputMask".
    [TorchSharp.Utils.ComponentName(Name = "input_mask")]
    private readonly Tensor _inputMask;

    /// <summary>This model written in PyTorch under the same state-dict names (a Python module beside the assembly), the reference its test and benchmark run.</summary>
    public static string PythonReferenceFile => Path.Combine(AppContext.BaseDirectory, "python", "wavernn_reference.py");

    public SignalModelSize Size { get; }
    public int MelBins { get; }
    public int Hop => conditioning.Hop;
    /// <summary>The log-mel value of silence, which pads frames beyond a clip's ends.</summary>
    public double MelPad { get; }

    public WaveRnnModel(int melBins, int hop, double melPad, SignalModelSize size) : base(nameof(WaveRnnModel))
    {
        size.Validate();
        Size = size;
        MelBins = melBins;
        MelPad = melPad;
        conditioning = new ConditioningNetwork(melBins, hop, size);
        long h = size.HiddenSize, half = size.HalfSize, inputs = SampleInputs + conditioning.Features;
        var bound = 1.0 / Math.Sqrt(h);
        weight_ih = Uniform([3 * h, inputs], bound);
        weight_hh = Uniform([3 * h, h], bound);
        bias_ih = Uniform([3 * h], bound);
        bias_hh = Uniform([3 * h], bound);
        coarse1 = nn.Linear(half, half);
        coarse2 = nn.Linear(half, SixteenBit.Classes);
        fine1 = nn.Linear(half, half);
        fine2 = nn.Linear(half, SixteenBit.Classes);
        // Rows of the coarse half's units in each of the three gates (r, z, n) lose input 2, the current coarse byte.
        var coarseUnit = (arange(3 * h) % h).lt(half).unsqueeze(1); // (3H) -> (3H, 1)
        var currentCoarse = arange(inputs).eq(2).unsqueeze(0); // (inputs) -> (1, inputs)
        _inputMask = coarseUnit.logical_and(currentCoarse).logical_not().to(float32).DetachFromDisposeScope();
        register_buffer("input_mask", _inputMask, persistent: false);
        RegisterComponents();
    }

    /// <summary>PyTorch's GRU initialisation, U(-1/√hidden, 1/√hidden).</summary>
    private static Parameter Uniform(long[] shape, double bound)
    {
        using var values = rand(shape) * (2 * bound) - bound;
        return new Parameter(values);
    }

    private Tensor MaskedInputWeight => weight_ih * _inputMask;

    /// <summary>Conditioning (B, F·hop, features) for frames (B, mels, F) of a whole clip: padded with silence as training slices are.</summary>
    public Tensor Condition(Tensor mel)
    {
        var context = ConditioningNetwork.ContextFrames;
        var padded = nn.functional.pad(mel, [context, context], value: MelPad);
        return conditioning.call(padded).narrow(1, context * Hop, mel.shape[2] * Hop); // (B, (F + 2·context)·hop, features) -> (B, F·hop, features)
    }

    /// <summary>
    /// Teacher-forced pass over a training slice: <paramref name="mel"/> (B, mels, S + 2·context) holds the
    /// slice's S frames with <see cref="ConditioningNetwork.ContextFrames"/> on each side; the class ids
    /// (B, S·hop) are the previous sample's bytes and the current coarse byte.
    /// </summary>
    public override SignalPrediction forward(Tensor mel, Tensor previousCoarse, Tensor previousFine, Tensor coarse)
    {
        var context = ConditioningNetwork.ContextFrames;
        long b = mel.shape[0], samples = previousCoarse.shape[1];
        var condition = conditioning.call(mel).narrow(1, context * Hop, samples); // (B, (S + 2·context)·hop, features) -> (B, S·hop, features)
        // (B, S·hop) ids -> (B, S·hop, 1) each, beside the conditioning: (B, S·hop, 3 + features)
        var x = cat([SixteenBit.Scale(previousCoarse).unsqueeze(2), SixteenBit.Scale(previousFine).unsqueeze(2),
            SixteenBit.Scale(coarse).unsqueeze(2), condition], 2);
        var h0 = zeros([1, b, Size.HiddenSize], device: mel.device);
        var (output, _) = RecurrentFunctional.gru(x, h0, [MaskedInputWeight, weight_hh, bias_ih, bias_hh], train: training, batch_first: true);
        var halves = output.chunk(2, 2); // (B, S·hop, H) -> 2 × (B, S·hop, H/2): the coarse and the fine half
        return new SignalPrediction(CoarseHead(halves[0]), FineHead(halves[1]));
    }

    private Tensor CoarseHead(Tensor h) => coarse2.call(coarse1.call(h).relu());
    private Tensor FineHead(Tensor h) => fine2.call(fine1.call(h).relu());

    /// <summary>
    /// Samples audio one step at a time for each row of <paramref name="condition"/> (B, T, features): the
    /// coarse byte from the coarse half's new state, then the fine byte from the state that saw it. Returns
    /// class ids (B, T) of both bytes. <paramref name="pick"/> turns logits (B, 256) into class ids (B, 1),
    /// called for the coarse then the fine byte of each step; by default it draws from their softmax.
    /// </summary>
    public (Tensor Coarse, Tensor Fine) Generate(Tensor condition, Func<Tensor, Tensor>? pick = null)
    {
        using var _ = no_grad();
        using var inputWeight = MaskedInputWeight;
        using var stepper = new WaveRnnStepper(inputWeight, weight_hh, bias_ih, bias_hh,
            (coarse1, coarse2), (fine1, fine2));
        return stepper.Generate(condition, pick);
    }
}
