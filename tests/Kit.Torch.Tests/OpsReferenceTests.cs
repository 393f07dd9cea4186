using Kit.Torch.Tests.Reference;
using static Kit.Torch.torch;

namespace Kit.Torch.Tests;

/// <summary>Values and gradients of tensor ops against PyTorch on the same inputs (one Python run).</summary>
public sealed class OpsReferenceTests
{
    private static readonly Lazy<List<RefCase>> cases = new(Build);
    private static readonly Lazy<ReferenceBatch> batch = new(() => new ReferenceBatch(cases.Value));

    public static IEnumerable<object[]> Names => ReferenceBatch.Names(cases.Value);

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_pytorch(string name) => batch.Value.Check(name);

    private static Tensor R(params long[] shape) => randn(shape);

    private static List<RefCase> Build()
    {
        manual_seed(1234);
        var c = new List<RefCase>
        {
            new RefCase("add_broadcast", "out = I['a'] + I['b']", i => i["a"] + i["b"]).In("a", R(3, 4), true).In("b", R(4), true),
            new RefCase("sub_mul_div", "out = (I['a'] - I['b']) * I['a'] / (I['b'].abs() + 1)", i => (i["a"] - i["b"]) * i["a"] / (i["b"].abs() + 1))
                .In("a", R(2, 5), true).In("b", R(2, 5), true),
            new RefCase("scalar_ops", "a = I['a']; out = [a + 2, 3 - a, a * 0.5, 2 / (a.abs() + 1), -a, a ** 2, a.pow(3)]",
                i => { var a = i["a"]; return [a + 2, 3 - a, a * 0.5, 2 / (a.abs() + 1), -a, a.pow(2), a.pow(3)]; }).In("a", R(6), true),
            new RefCase("comparisons", "a, b = I['a'], I['b']; out = [a < b, a <= 0.1, a > b, a >= b, a == a, a != b, (a > 0) & (b > 0)]",
                i => { var (a, b) = (i["a"], i["b"]); return [a < b, a <= 0.1, a > b, a >= b, a == a, a != b, (a > 0) & (b > 0)]; })
                .In("a", R(10)).In("b", R(10)),
            new RefCase("unary", "a = I['a']; out = [a.abs(), a.exp(), (a.abs() + 0.1).log(), (a.abs() + 0.1).sqrt(), a.tanh(), a.sigmoid(), a.relu(), F.gelu(a), a.clamp(-0.5, 0.7)]",
                i => { var a = i["a"]; return [a.abs(), a.exp(), (a.abs() + 0.1).log(), (a.abs() + 0.1).sqrt(), a.tanh(), a.sigmoid(), a.relu(), a.gelu(), a.clamp(-0.5, 0.7)]; })
                .In("a", R(4, 5), true),
            new RefCase("softmax", "a = I['a']; out = [a.softmax(-1), a.log_softmax(1), a.softmax(0)]",
                i => [i["a"].softmax(-1), i["a"].log_softmax(1), i["a"].softmax(0)]).In("a", R(3, 7), true),
            new RefCase("reductions", "a = I['a']; out = [a.sum(), a.sum(1), a.mean((0, 2), keepdim=True), a.max(), a.min(), a.std(), a.var(1), a.norm(), a.amax(2), a.logsumexp(1)]",
                i => { var a = i["a"]; return [a.sum(), a.sum(1), a.mean([0, 2], keepdim: true), a.max(), a.min(), a.std(), a.var(1), a.norm(), a.amax(2), a.logsumexp(1)]; })
                .In("a", R(2, 3, 4), true),
            new RefCase("max_dim_argmax", "a = I['a']; v, ix = a.max(1); mv, mi = a.min(0, keepdim=True); out = [v, ix, mv, mi, a.argmax(), a.argmax(1)]",
                i => { var a = i["a"]; var (v, ix) = a.max(1); var (mv, mi) = a.min(0, true); return [v, ix, mv, mi, a.argmax(), a.argmax(1)]; })
                .In("a", R(4, 6), true),
            new RefCase("matmul_bmm_mm", "a, b, x, y = I['a'], I['b'], I['x'], I['y']; out = [a.matmul(b), torch.bmm(x, y), torch.mm(a, b), x.matmul(y[0])]",
                i => [i["a"].matmul(i["b"]), bmm(i["x"], i["y"]), mm(i["a"], i["b"]), i["x"].matmul(i["y"][0])])
                .In("a", R(5, 6), true).In("b", R(6, 3), true).In("x", R(2, 4, 6), true).In("y", R(2, 6, 3), true),
            new RefCase("shape_ops",
                "a = I['a']; out = [a.reshape(6, 4), a.view(2, 12), a.permute(2, 0, 1), a.transpose(0, 2).contiguous(), a.unsqueeze(1), a[:, :1].squeeze(1), a[:1].expand(3, 3, 4), a.repeat(1, 2, 1), a.narrow(2, 1, 2), a[:, :, 0:4:2], a.flatten(1)]",
                i => { var a = i["a"]; return [a.reshape(6, 4), a.view(2, 12), a.permute(2, 0, 1), a.transpose(0, 2).contiguous(), a.unsqueeze(1), a.narrow(1, 0, 1).squeeze(1), a.narrow(0, 0, 1).expand(3, 3, 4), a.repeat(1, 2, 1), a.narrow(2, 1, 2), a.slice(2, 0, 4, 2), a.flatten(1)]; })
                .In("a", R(2, 3, 4), true),
            new RefCase("index_ops",
                "a, ix, g = I['a'], I['ix'], I['g']; m = I['m']; out = [a.index_select(1, ix), a.gather(1, g), a.scatter(1, g, I['s']), a.masked_fill(m, -1.5), torch.where(m, a, I['s'][:, :1].expand(3, 5)), a[ix]]",
                i => { var (a, ix, g, m) = (i["a"], i["ix"], i["g"], i["m"]); return [a.index_select(1, ix), a.gather(1, g), a.scatter(1, g, i["s"]), a.masked_fill(m, -1.5), where(m, a, i["s"].narrow(1, 0, 1).expand(3, 5)), a.index(ix)]; })
                .In("a", R(3, 5), true).In("ix", tensor(new long[] { 2, 0, 1 })).In("g", tensor(new long[] { 0, 4, 1, 1, 2, 3 }, [3, 2]))
                .In("m", R(3, 5) > 0).In("s", R(3, 2), true),
            new RefCase("cat_stack_split",
                "a, b = I['a'], I['b']; s = torch.cat([a, b], 1).split(2, 1); ch = torch.stack([a, a * 2], 0).chunk(2, 2); out = [torch.cat([a, b], 1), torch.stack([a, a * 3], 1), *s, *ch, *a.split([1, 2], 1)]",
                i => { var (a, b) = (i["a"], i["b"]); var s = cat([a, b], 1).split(2, 1); var ch = stack([a, a * 2], 0).chunk(2, 2);
                    return [cat([a, b], 1), stack([a, a * 3], 1), .. s, .. ch, .. a.split([1, 2], 1)]; })
                .In("a", R(4, 3), true).In("b", R(4, 2), true),
            new RefCase("pad",
                "a = I['a']; out = [F.pad(a, (1, 2)), F.pad(a, (2, 1, 1, 0), value=0.5), F.pad(a, (2, 2), mode='reflect'), F.pad(a, (1, 3), mode='replicate')]",
                i => { var a = i["a"]; return [nn.functional.pad(a, [1, 2]), nn.functional.pad(a, [2, 1, 1, 0], value: 0.5),
                    nn.functional.pad(a, [2, 2], nn.PaddingModes.Reflect), nn.functional.pad(a, [1, 3], nn.PaddingModes.Replicate)]; })
                .In("a", R(2, 3, 6), true),
            new RefCase("dtypes",
                "a = I['a']; out = [a.to(torch.float16).to(torch.float32), a.to(torch.bfloat16).to(torch.float32), a.to(torch.float64), (a * 10).to(torch.int64), (a * 10).to(torch.int32), a > 0, I['h'].float() * 2]",
                i => { var a = i["a"]; return [a.to(float16).to(float32), a.to(bfloat16).to(float32), a.to(float64), (a * 10).to(int64), (a * 10).to(int32), a > 0, i["h"].@float() * 2]; })
                .In("a", R(8)).In("h", R(5).to(float16)),
            new RefCase("factories",
                "out = [torch.zeros(2, 3), torch.ones(3), torch.full((2, 2), 1.5), torch.arange(0, 10, 3), torch.arange(0.5, 2.0, 0.25), torch.linspace(-1, 1, 7), torch.eye(3, 4), torch.hann_window(8), torch.tensor([[1.0, 2.0], [3.0, 4.0]])]",
                _ => [zeros(2, 3), ones(3), full([2, 2], 1.5), arange(0, 10, 3), arange(0.5, 2.0, 0.25), linspace(-1, 1, 7), eye(3, 4), hann_window(8), tensor(new float[,] { { 1, 2 }, { 3, 4 } })]),
        };
        c.AddRange(FunctionalCases());
        return c;
    }

    private static IEnumerable<RefCase> FunctionalCases()
    {
        var F = "F";
        _ = F;
        yield return new RefCase("linear", "out = F.linear(I['x'], I['w'], I['b'])", i => nn.functional.linear(i["x"], i["w"], i["b"]))
            .In("x", R(4, 5), true).In("w", R(3, 5), true).In("b", R(3), true);
        yield return new RefCase("conv1d", "out = [F.conv1d(I['x'], I['w'], I['b'], stride=2, padding=1), F.conv1d(I['x'], I['w'], None, dilation=2)]",
                i => [nn.functional.conv1d(i["x"], i["w"], i["b"], stride: 2, padding: 1), nn.functional.conv1d(i["x"], i["w"], null, dilation: 2)])
            .In("x", R(2, 3, 11), true).In("w", R(4, 3, 3), true).In("b", R(4), true);
        yield return new RefCase("conv2d", "out = F.conv2d(I['x'], I['w'], I['b'], stride=(1, 2), padding=(1, 0))",
                i => nn.functional.conv2d(i["x"], i["w"], i["b"], [1, 2], [1, 0]))
            .In("x", R(2, 2, 6, 7), true).In("w", R(3, 2, 3, 3), true).In("b", R(3), true);
        yield return new RefCase("conv_transpose1d", "out = F.conv_transpose1d(I['x'], I['w'], I['b'], stride=2, padding=1, output_padding=1)",
                i => nn.functional.conv_transpose1d(i["x"], i["w"], i["b"], stride: 2, padding: 1, output_padding: 1))
            .In("x", R(2, 3, 7), true).In("w", R(3, 4, 4), true).In("b", R(4), true);
        yield return new RefCase("conv_transpose2d", "out = F.conv_transpose2d(I['x'], I['w'], I['b'], stride=2)",
                i => nn.functional.conv_transpose2d(i["x"], i["w"], i["b"], [2, 2]))
            .In("x", R(1, 3, 4, 5), true).In("w", R(3, 2, 3, 3), true).In("b", R(2), true);
        yield return new RefCase("embedding", "out = [F.embedding(I['ix'], I['w']), F.embedding(I['ix'], I['w'], padding_idx=0)]",
                i => [nn.functional.embedding(i["ix"], i["w"]), nn.functional.embedding(i["ix"], i["w"], 0)])
            .In("ix", tensor(new long[] { 0, 3, 2, 3, 1, 0 }, [2, 3])).In("w", R(5, 4), true);
        yield return new RefCase("layer_norm", "out = F.layer_norm(I['x'], (6,), I['w'], I['b'], 1e-5)",
                i => nn.functional.layer_norm(i["x"], [6], i["w"], i["b"]))
            .In("x", R(3, 4, 6), true).In("w", R(6), true).In("b", R(6), true);
        yield return new RefCase("batch_norm_train",
                "rm, rv = I['rm'].clone(), I['rv'].clone(); y = F.batch_norm(I['x'], rm, rv, I['w'], I['b'], training=True, momentum=0.1); out = [y, rm, rv]",
                i => { var (rm, rv) = (i["rm"].clone(), i["rv"].clone()); var y = nn.functional.batch_norm(i["x"], rm, rv, i["w"], i["b"], training: true); return [y, rm, rv]; })
            .In("x", R(4, 3, 5), true).In("w", R(3), true).In("b", R(3), true).In("rm", R(3)).In("rv", rand(3) + 0.5);
        yield return new RefCase("batch_norm_eval", "out = F.batch_norm(I['x'], I['rm'], I['rv'], I['w'], I['b'], training=False)",
                i => nn.functional.batch_norm(i["x"], i["rm"], i["rv"], i["w"], i["b"], training: false))
            .In("x", R(4, 3), true).In("w", R(3), true).In("b", R(3), true).In("rm", R(3)).In("rv", rand(3) + 0.5);
        yield return new RefCase("cross_entropy",
                "x, t = I['x'], I['t']; out = [F.cross_entropy(x, t), F.cross_entropy(x, t, ignore_index=2), F.cross_entropy(x, t, reduction='none'), F.cross_entropy(x, t, reduction='sum', ignore_index=0), F.cross_entropy(I['x3'], I['t3'], ignore_index=-100)]",
                i => { var (x, t) = (i["x"], i["t"]); return [nn.functional.cross_entropy(x, t), nn.functional.cross_entropy(x, t, ignore_index: 2),
                    nn.functional.cross_entropy(x, t, reduction: nn.Reduction.None), nn.functional.cross_entropy(x, t, ignore_index: 0, reduction: nn.Reduction.Sum),
                    nn.functional.cross_entropy(i["x3"], i["t3"])]; })
            .In("x", R(6, 4), true).In("t", tensor(new long[] { 0, 2, 3, 1, 2, 0 }))
            .In("x3", R(2, 4, 3), true).In("t3", tensor(new long[] { 1, -100, 3, 0, 2, -100 }, [2, 3]));
        yield return new RefCase("bce_l1_mse",
                "x, y = I['x'], I['y']; out = [F.binary_cross_entropy_with_logits(x, y), F.binary_cross_entropy_with_logits(x, y, reduction='none', pos_weight=I['pw']), F.l1_loss(x, y), F.mse_loss(x, y, reduction='sum')]",
                i => { var (x, y) = (i["x"], i["y"]); return [nn.functional.binary_cross_entropy_with_logits(x, y),
                    nn.functional.binary_cross_entropy_with_logits(x, y, reduction: nn.Reduction.None, pos_weight: i["pw"]),
                    nn.functional.l1_loss(x, y), nn.functional.mse_loss(x, y, nn.Reduction.Sum)]; })
            .In("x", R(3, 4), true).In("y", rand(3, 4)).In("pw", rand(4) + 0.5);
        yield return new RefCase("sdpa_masks",
                "q, k, v, m = I['q'], I['k'], I['v'], I['m']\n" +
                "def sdpa(q, k, v, mask=None, causal=False):\n" +
                "    s = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))\n" +
                "    if causal: s = s.masked_fill(~torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril(), float('-inf'))\n" +
                "    if mask is not None: s = s.masked_fill(~mask, float('-inf')) if mask.dtype == torch.bool else s + mask\n" +
                "    return s.softmax(-1) @ v\n" +
                "out = [sdpa(q, k, v), sdpa(q, k, v, m), sdpa(q, k, v, causal=True), sdpa(q, k, v, I['fm'])]",
                i => { var (q, k, v) = (i["q"], i["k"], i["v"]); return [nn.functional.scaled_dot_product_attention(q, k, v),
                    nn.functional.scaled_dot_product_attention(q, k, v, i["m"]), nn.functional.scaled_dot_product_attention(q, k, v, is_causal: true),
                    nn.functional.scaled_dot_product_attention(q, k, v, i["fm"])]; })
            .In("q", R(2, 2, 5, 4), true).In("k", R(2, 2, 5, 4), true).In("v", R(2, 2, 5, 4), true)
            .In("m", tensor(new[] { true, true, true, false, false, true, true, true, true, false }, [2, 1, 1, 5])).In("fm", R(5, 5));
        yield return new RefCase("stft_hann",
                "w = torch.hann_window(64); s = torch.stft(I['x'], 64, hop_length=16, window=w, return_complex=True); out = [s, s.abs(), torch.stft(I['x'], 32, hop_length=8, win_length=24, window=torch.hann_window(24), center=False, return_complex=True).abs()]",
                i => { var s = stft(i["x"], 64, 16, window: hann_window(64)); return [s, s.abs(), stft(i["x"], 32, 8, 24, hann_window(24), center: false).abs()]; })
            .In("x", R(2, 400), true).Tol(1e-4, 1e-4);
        yield return new RefCase("melscale_fbanks",
                "import torchaudio.functional as AF\nout = [AF.melscale_fbanks(513, 0.0, 8000.0, 80, 22050, None, 'htk'), AF.melscale_fbanks(513, 0.0, 11025.0, 80, 22050, 'slaney', 'slaney'), AF.melscale_fbanks(201, 50.0, 7600.0, 40, 16000, 'slaney', 'htk')]",
                _ => [torchaudio.functional.melscale_fbanks(513, 0, 8000, 80, 22050), torchaudio.functional.melscale_fbanks(513, 0, 11025, 80, 22050, "slaney", "slaney"),
                    torchaudio.functional.melscale_fbanks(201, 50, 7600, 40, 16000, "slaney", "htk")]).Tol(1e-4, 1e-6);
        yield return new RefCase("clip_grad_norm",
                "a, b = I['a'].clone().requires_grad_(), I['b'].clone().requires_grad_(); ((a * 3).sum() + (b ** 2).sum()).backward(); n = torch.nn.utils.clip_grad_norm_([a, b], 1.0); out = [n, a.grad.clone(), b.grad.clone()]",
                i => { var (a, b) = (i["a"].detach().requires_grad_(), i["b"].detach().requires_grad_()); ((a * 3).sum() + b.pow(2).sum()).backward();
                    var n = nn.utils.clip_grad_norm_([a, b], 1.0); return [tensor(n), a.grad!, b.grad!]; })
            .In("a", R(3)).In("b", R(2, 2));
    }
}
