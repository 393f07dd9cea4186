using Kit.Models.Signal;
using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Signal;

/// <summary>
/// The kit's WaveRNN against the same network written in PyTorch from its published description
/// (<see cref="WaveRnnModel.PythonReferenceFile"/>: Python's own conv1d, repeat_interleave and GRU, loading the
/// kit's state dict strictly): same logits, same losses, same gradients, and the coarse half's input weight for
/// the current coarse byte gets no gradient.
/// </summary>
public class WaveRnnReferenceTests
{
    private static readonly SignalModelSize Size = new() { HiddenSize = 16, ConditioningChannels = 4, ResidualBlocks = 2, SegmentFrames = 3 };
    private const int Mels = 6, Hop = 12, Batch = 2;

    [Fact]
    public void Forward_losses_and_gradients_equal_pytorch_on_the_same_weights()
    {
        using var dir = new TempDir();
        manual_seed(3);
        using var model = new WaveRnnModel(Mels, Hop, Math.Log(1e-5), Size);
        long frames = Size.SegmentFrames + 2 * ConditioningNetwork.ContextFrames, samples = Size.SegmentFrames * Hop;
        var inputs = new Dictionary<string, Tensor>
        {
            ["mel"] = randn(Batch, Mels, frames) - 3,
            ["previous_coarse"] = randint(0, 256, [Batch, samples]),
            ["previous_fine"] = randint(0, 256, [Batch, samples]),
            ["coarse"] = randint(0, 256, [Batch, samples]),
            ["fine"] = randint(0, 256, [Batch, samples]),
        };
        var p = model.forward(inputs["mel"], inputs["previous_coarse"], inputs["previous_fine"], inputs["coarse"]);
        var losses = SignalLosses.Compute(p, inputs["coarse"], inputs["fine"]);
        losses["loss"].backward();
        var weights = model.state_dict().Where(kv => kv.Key != "input_mask").ToDictionary();
        TensorFiles.save(weights.Concat(inputs), dir["in.pth"]);

        ReferencePython.Run(Script, dir["in.pth"], dir["out.pth"], WaveRnnModel.PythonReferenceFile,
            $"{Mels}", $"{Hop}", $"{Size.HiddenSize}", $"{Size.ConditioningChannels}", $"{Size.ResidualBlocks}");
        var reference = TensorFiles.load(dir["out.pth"]);
        AssertClose(reference["coarse_logits"], p.Coarse, "coarse logits");
        AssertClose(reference["fine_logits"], p.Fine, "fine logits");
        AssertClose(reference["coarse_loss"], losses["coarse_loss"], "coarse_loss");
        AssertClose(reference["fine_loss"], losses["fine_loss"], "fine_loss");
        var grads = model.named_parameters().ToDictionary(e => e.name, e => e.parameter.grad!);
        foreach (var name in new[] { "weight_ih", "weight_hh", "bias_hh", "conditioning.input.weight", "conditioning.smoothing.0.weight", "coarse2.weight", "fine1.weight" })
            AssertClose(reference["grad." + name], grads[name], "gradient of " + name);
        // Coarse units (first half of each gate's rows) never see input 2, the current coarse byte.
        var h = Size.HiddenSize;
        for (var gate = 0; gate < 3; gate++)
            Assert.Equal(0f, grads["weight_ih"].narrow(0, gate * h, h / 2).select(1, 2).abs().sum().item<float>());
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (expected - actual.detach()).abs().max().item<float>();
        var scale = Math.Max(1f, expected.abs().max().item<float>());
        Assert.True(diff <= 1e-4f * scale, $"{what}: differs from PyTorch by {diff} (largest value {scale})");
    }

    private const string Script = """
import os, sys, torch, torch.nn.functional as F
src, dst, reference = sys.argv[1], sys.argv[2], sys.argv[3]
mels, hop, hidden, channels, blocks = map(int, sys.argv[4:9])
sys.path.insert(0, os.path.dirname(reference))
from wavernn_reference import WaveRNN
S = torch.load(src)
model = WaveRNN(mels, hop, hidden, channels, blocks)
model.load_state_dict({k: S[k] for k in model.state_dict()}, strict=True)
coarse, fine = model(S['mel'], S['previous_coarse'], S['previous_fine'], S['coarse'])
cl = F.cross_entropy(coarse.reshape(-1, 256), S['coarse'].reshape(-1))
fl = F.cross_entropy(fine.reshape(-1, 256), S['fine'].reshape(-1))
(cl + fl).backward()
result = {'coarse_logits': coarse.detach(), 'fine_logits': fine.detach(), 'coarse_loss': cl.detach(), 'fine_loss': fl.detach()}
result.update({'grad.' + k: p.grad for k, p in model.named_parameters()})
torch.save(result, dst)
""";
}

/// <summary>Synthesis's step-by-step path against the training pass: fed the same bytes, it predicts the same logits.</summary>
public class WaveRnnGenerationTests
{
    [Fact]
    public void Generation_steps_give_the_teacher_forced_logits_when_they_pick_the_real_bytes()
    {
        manual_seed(4);
        var size = new SignalModelSize { HiddenSize = 16, ConditioningChannels = 4, ResidualBlocks = 1, SegmentFrames = 2 };
        const int mels = 5, hop = 6, frames = 3;
        var pad = Math.Log(1e-5);
        using var model = new WaveRnnModel(mels, hop, pad, size);
        model.eval();
        using var _ = no_grad();
        var mel = randn(2, mels, frames) - 3;
        long samples = frames * hop;
        var coarse = randint(0, 256, [2, samples]);
        var fine = randint(0, 256, [2, samples]);
        // The sample before the first is silence: coarse 128, fine 0.
        var previousCoarse = cat([full([2, 1], 128L, int64), coarse.narrow(1, 0, samples - 1)], 1);
        var previousFine = cat([zeros([2, 1], int64), fine.narrow(1, 0, samples - 1)], 1);
        var context = ConditioningNetwork.ContextFrames;
        var forced = model.forward(nn.functional.pad(mel, [context, context], value: pad), previousCoarse, previousFine, coarse);

        var logits = new List<Tensor>();
        var calls = 0;
        var (generatedCoarse, generatedFine) = model.Generate(model.Condition(mel), l =>
        {
            logits.Add(l.clone().DetachFromDisposeScope());
            var step = calls / 2;
            return (calls++ % 2 == 0 ? coarse : fine).narrow(1, step, 1).clone();
        });
        Assert.Equal(coarse.data<long>().ToArray(), generatedCoarse.data<long>().ToArray());
        Assert.Equal(fine.data<long>().ToArray(), generatedFine.data<long>().ToArray());
        var steppedCoarse = stack(logits.Where((_, i) => i % 2 == 0).ToArray(), 1);
        var steppedFine = stack(logits.Where((_, i) => i % 2 == 1).ToArray(), 1);
        Assert.True((steppedCoarse - forced.Coarse).abs().max().item<float>() < 1e-4f, "coarse logits differ between generation and training");
        Assert.True((steppedFine - forced.Fine).abs().max().item<float>() < 1e-4f, "fine logits differ between generation and training");
    }
}
