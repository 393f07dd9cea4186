using Kit.Models.Signal;
using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models.Tests.Signal;

/// <summary>
/// The kit's WaveRNN against the same network written in PyTorch from its published description (Python's
/// own conv1d, repeat_interleave and GRU, fed the kit's state dict): same logits, same losses, same
/// gradients, and the coarse half's input weight for the current coarse byte gets no gradient.
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

        ReferencePython.Run(Script, dir["in.pth"], dir["out.pth"], Hop.ToString(), Size.ResidualBlocks.ToString());
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
import sys, torch, torch.nn.functional as F
src, dst, hop, blocks = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
S = torch.load(src)
P = {k: v.clone().requires_grad_(True) for k, v in S.items() if v.is_floating_point() and k not in ('mel',)}
mel = S['mel']
def factors(hop):
    primes, n, p = [], hop, 2
    while n > 1:
        while n % p == 0: primes.append(p); n //= p
        p += 1
    bins = []
    for q in sorted(primes, reverse=True):
        if len(bins) < 3: bins.append(q)
        else: bins[bins.index(min(bins))] *= q
    return sorted(bins, reverse=True)
# Conditioning: conv over +-2 frames, residual 1x1 blocks, then stretch-and-smooth stages of [mel, features].
x = F.relu(F.conv1d(mel, P['conditioning.input.weight'], P['conditioning.input.bias'], padding=2))
for i in range(blocks):
    y = F.relu(F.conv1d(x, P[f'conditioning.residualIn.{i}.weight'], P[f'conditioning.residualIn.{i}.bias']))
    x = x + F.conv1d(y, P[f'conditioning.residualOut.{i}.weight'], P[f'conditioning.residualOut.{i}.bias'])
z = torch.cat([mel, x], 1)
B, C = z.shape[0], z.shape[1]
for i, f in enumerate(factors(hop)):
    z = z.repeat_interleave(f, 2)
    z = F.conv1d(z.reshape(B * C, 1, -1), P[f'conditioning.smoothing.{i}.weight'], padding=f).reshape(B, C, -1)
T = S['coarse'].shape[1]
cond = z.transpose(1, 2)[:, 4 * hop: 4 * hop + T]
scale = lambda c: c.float() / 127.5 - 1
inp = torch.cat([scale(S['previous_coarse']).unsqueeze(2), scale(S['previous_fine']).unsqueeze(2), scale(S['coarse']).unsqueeze(2), cond], 2)
H = P['weight_hh'].shape[1]; half = H // 2
mask = torch.ones_like(P['weight_ih'])
for g in range(3): mask[g * H: g * H + half, 2] = 0
out, _ = torch._VF.gru(inp, torch.zeros(1, B, H), [P['weight_ih'] * mask, P['weight_hh'], P['bias_ih'], P['bias_hh']], True, 1, 0.0, True, False, True)
hc, hf = out[..., :half], out[..., half:]
coarse = F.linear(F.relu(F.linear(hc, P['coarse1.weight'], P['coarse1.bias'])), P['coarse2.weight'], P['coarse2.bias'])
fine = F.linear(F.relu(F.linear(hf, P['fine1.weight'], P['fine1.bias'])), P['fine2.weight'], P['fine2.bias'])
cl = F.cross_entropy(coarse.reshape(-1, 256), S['coarse'].reshape(-1))
fl = F.cross_entropy(fine.reshape(-1, 256), S['fine'].reshape(-1))
(cl + fl).backward()
result = {'coarse_logits': coarse.detach(), 'fine_logits': fine.detach(), 'coarse_loss': cl.detach(), 'fine_loss': fl.detach()}
for k, v in P.items():
    if v.grad is not None: result['grad.' + k] = v.grad
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
