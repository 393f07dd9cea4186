using TorchSharp.Modules;
using Kit.TorchExtras.Tests.Reference;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>
/// Every module against its PyTorch twin: the kit's default-initialised weights are loaded into the
/// PyTorch module by state-dict name (so names and shapes must agree), then outputs and parameter
/// gradients are compared.
/// </summary>
public sealed class ModuleReferenceTests : ReferenceTests<ModuleReferenceTests>, IReferenceCases
{
    private static Tensor R(params long[] shape) => randn(shape);

    /// <summary>A case over module m: Python builds `ctor`, loads m's weights, runs `forward` (which sets out).</summary>
    private static RefCase Mod(string name, nn.Module m, string ctor, string forward, Func<IReadOnlyDictionary<string, Tensor>, Tensor[]> kit)
    {
        return new RefCase(name, $"m = load({ctor})\n{forward}\nG.update(params(m))", (i, g) =>
        {
            foreach (var (n, p) in m.named_parameters()) g["p." + n] = p;
            return kit(i);
        }).Weights(m);
    }

    public static List<RefCase> Build()
    {
        manual_seed(99);
        var lstm = nn.LSTM(5, 6, numLayers: 2, batchFirst: true, bidirectional: true);
        var lstmNoBias = nn.LSTM(4, 5, bias: false);
        var gru = nn.GRU(4, 5, numLayers: 2);
        var gruBidirectional = nn.GRU(3, 4, bias: false, batchFirst: true, bidirectional: true);
        var lstmCell = nn.LSTMCell(3, 4);
        var gruCell = nn.GRUCell(3, 4);
        var bn = nn.BatchNorm1d(3);
        var seq = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2));
        var emb = nn.Embedding(7, 3, padding_idx: 0);
        return
        [
            Mod("Linear", nn.Linear(5, 3).Keep(out var lin), "nn.Linear(5, 3)", "out = m(I['x'])", i => [lin.forward(i["x"])]).In("x", R(4, 5), true),
            Mod("Conv1d", nn.Conv1d(3, 4, 5, stride: 2, padding: 2).Keep(out var c1), "nn.Conv1d(3, 4, 5, stride=2, padding=2)", "out = m(I['x'])",
                i => [c1.forward(i["x"])]).In("x", R(2, 3, 20), true),
            Mod("Conv2d", nn.Conv2d(2, 3, 3, padding: 1).Keep(out var c2), "nn.Conv2d(2, 3, 3, padding=1)", "out = m(I['x'])",
                i => [c2.forward(i["x"])]).In("x", R(1, 2, 5, 6), true),
            Mod("ConvTranspose1d", nn.ConvTranspose1d(4, 2, 4, stride: 2, padding: 1).Keep(out var ct), "nn.ConvTranspose1d(4, 2, 4, stride=2, padding=1)", "out = m(I['x'])",
                i => [ct.forward(i["x"])]).In("x", R(2, 4, 9), true),
            Mod("Embedding", emb, "nn.Embedding(7, 3, padding_idx=0)", "out = m(I['ix'])", i => [emb.forward(i["ix"])])
                .In("ix", tensor(new long[] { 1, 0, 6, 3, 3, 0 }, [2, 3])),
            Mod("LayerNorm", nn.LayerNorm(6).Keep(out var ln), "nn.LayerNorm(6)", "out = m(I['x'])", i => [ln.forward(i["x"])]).In("x", R(2, 3, 6), true),
            Mod("BatchNorm1d", bn, "nn.BatchNorm1d(3)", "y = m(I['x']); m.eval(); out = [y, m(I['x']), m.running_mean, m.running_var, m.num_batches_tracked]",
                i => { bn.train(); var y = bn.forward(i["x"]); bn.eval(); return [y, bn.forward(i["x"]), bn.running_mean!, bn.running_var!, bn.num_batches_tracked!]; })
                .In("x", R(4, 3, 5), true),
            Mod("LSTM", lstm, "nn.LSTM(5, 6, num_layers=2, batch_first=True, bidirectional=True)",
                "o, (h, c) = m(I['x']); o2, (h2, c2) = m(I['x'], (I['h0'], I['c0'])); out = [o, h, c, o2, h2, c2]",
                i => { var (o, h, c) = lstm.forward(i["x"]); var (o2, h2, c2) = lstm.forward(i["x"], (i["h0"], i["c0"])); return [o, h, c, o2, h2, c2]; })
                .In("x", R(3, 7, 5), true).In("h0", R(4, 3, 6), true).In("c0", R(4, 3, 6), true),
            Mod("LSTM_no_bias", lstmNoBias, "nn.LSTM(4, 5, bias=False)", "o, (h, c) = m(I['x']); out = [o, h, c]",
                i => { var (o, h, c) = lstmNoBias.forward(i["x"]); return [o, h, c]; })
                .In("x", R(9, 2, 4), true),
            Mod("GRU", gru, "nn.GRU(4, 5, num_layers=2)", "o, h = m(I['x']); o2, h2 = m(I['x'], I['h0']); out = [o, h, o2, h2]",
                i => { var (o, h) = gru.forward(i["x"]); var (o2, h2) = gru.forward(i["x"], i["h0"]); return [o, h, o2, h2]; })
                .In("x", R(6, 2, 4), true).In("h0", R(2, 2, 5), true),
            Mod("GRU_bidirectional_no_bias", gruBidirectional, "nn.GRU(3, 4, bias=False, batch_first=True, bidirectional=True)",
                "o, h = m(I['x'], I['h0']); out = [o, h]",
                i => { var (o, h) = gruBidirectional.forward(i["x"], i["h0"]); return [o, h]; })
                .In("x", R(2, 8, 3), true).In("h0", R(2, 2, 4), true),
            Mod("LSTMCell", lstmCell, "nn.LSTMCell(3, 4)", "h, c = m(I['x']); h2, c2 = m(I['x'], (h, c)); out = [h, c, h2, c2]",
                i => { var (h, c) = lstmCell.forward(i["x"], (zeros(2, 4), zeros(2, 4))); var (h2, c2) = lstmCell.forward(i["x"], (h, c)); return [h, c, h2, c2]; })
                .In("x", R(2, 3), true),
            Mod("GRUCell", gruCell, "nn.GRUCell(3, 4)", "h = m(I['x']); out = [h, m(I['x'], h)]",
                i => { var h = gruCell.forward(i["x"], null); return [h, gruCell.forward(i["x"], h)]; })
                .In("x", R(2, 3), true),
            Mod("Sequential", seq, "nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))", "out = m(I['x'])", i => [seq.forward(i["x"])])
                .In("x", R(5, 4), true),
        ];
    }
}

internal static class ModuleTestExtensions
{
    public static T Keep<T>(this T m, out T kept) where T : nn.Module
    {
        kept = m;
        return m;
    }
}
