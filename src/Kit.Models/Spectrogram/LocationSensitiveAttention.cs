using Kit.TorchExtras;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kit.Models.Spectrogram;

/// <summary>
/// Tacotron 2's attention: energies from the decoder query, the encoder outputs and a convolution over the
/// previous and the cumulative attention weights (so the focus moves forward instead of jumping).
/// </summary>
public sealed class LocationSensitiveAttention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, (Tensor Weights, Tensor Context)>
{
    private readonly Linear query, memory, location, energy;
    private readonly Conv1d locationConv;

    public LocationSensitiveAttention(int querySize, int memorySize, int attentionSize, int filters, int kernel) : base(nameof(LocationSensitiveAttention))
    {
        query = nn.Linear(querySize, attentionSize, hasBias: false);
        memory = nn.Linear(memorySize, attentionSize, hasBias: false);
        locationConv = nn.Conv1d(2, filters, kernel, padding: (kernel - 1) / 2, bias: false);
        location = nn.Linear(filters, attentionSize, hasBias: false);
        energy = nn.Linear(attentionSize, 1, hasBias: true);
        RegisterComponents();
    }

    /// <summary>The encoder outputs projected once per utterance (B, N, A).</summary>
    public Tensor ProcessMemory(Tensor encoderOutputs) => memory.call(encoderOutputs);

    /// <summary>Attention weights (B, N) and context (B, memorySize) for one decoder step.</summary>
    public override (Tensor Weights, Tensor Context) forward(Tensor queryState, Tensor encoderOutputs, Tensor processedMemory,
        Tensor previous, Tensor cumulative, Tensor padMask)
    {
        var q = query.call(queryState).unsqueeze(1); // (B, A) -> (B, 1, A)
        var both = stack([previous, cumulative], 1); // 2 × (B, N) -> (B, 2, N)
        var loc = location.call(locationConv.call(both).transpose(1, 2)); // (B, filters, N) -> (B, N, filters) -> (B, N, A)
        var e = energy.call((q + loc + processedMemory).tanh()).squeeze(-1).masked_fill(padMask, double.NegativeInfinity); // (B, N, 1) -> (B, N)
        var weights = e.softmax(-1);
        var context = weights.unsqueeze(1).bmm(encoderOutputs).squeeze(1); // (B, N) -> (B, 1, N); (B, 1, N)·(B, N, M) -> (B, 1, M) -> (B, M)
        return (weights, context);
    }
}
