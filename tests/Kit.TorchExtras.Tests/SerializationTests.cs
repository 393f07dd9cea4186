using Kit.TestSupport;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.TorchExtras.Tests;

/// <summary>Weights move both ways between the kit and Python's torch, as .pth and as .safetensors.</summary>
public sealed class SerializationTests
{
    private const string PythonWrites = """
        import sys, torch
        from collections import OrderedDict
        torch.manual_seed(0)
        m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.BatchNorm1d(4))
        m(torch.randn(5, 3))
        sd = m.state_dict()
        sd['extra.half'] = torch.arange(6, dtype=torch.float16).reshape(2, 3)
        sd['extra.bf16'] = torch.linspace(-1, 1, 4, dtype=torch.bfloat16)
        sd['extra.mask'] = torch.tensor([True, False, True])
        torch.save(sd, sys.argv[1])
        for k, v in sd.items():
            print(k, ' '.join(repr(float(x)) for x in v.flatten().tolist()))
        """;

    [Fact]
    public void Reads_a_state_dict_python_saved_and_loads_it_into_a_module()
    {
        using var dir = new TempDir();
        var path = dir["py.pth"];
        var printed = ReferencePython.Run(PythonWrites, path);
        var tensors = TensorFiles.load(path);
        try
        {
            foreach (var line in printed.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                var expected = parts.Skip(1).Select(double.Parse).ToArray();
                var actual = tensors[parts[0]].to(float64).data<double>();
                Assert.Equal(expected, actual);
            }
            Assert.Equal(bfloat16, tensors["extra.bf16"].dtype);
            using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4));
            var (missing, unexpected) = model.load_state_dict_checked(tensors, strict: false);
            Assert.Empty(missing);
            Assert.Equal(["extra.half", "extra.bf16", "extra.mask"], unexpected);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Theory]
    [InlineData("kit.pth")]
    [InlineData("kit.safetensors")]
    public void Python_reads_what_the_kit_saved(string file)
    {
        using var dir = new TempDir();
        var path = dir[file];
        manual_seed(3);
        using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.LayerNorm(4));
        model.save_weights(path);
        using var x = randn(2, 3);
        var mine = model.forward(x).data<float>().ToArray();

        var script = """
            import sys, torch
            path = sys.argv[1]
            if path.endswith('.safetensors'):
                # Parse safetensors with the standard library: header length, JSON header, raw bytes.
                import json, struct
                raw = open(path, 'rb').read()
                n = struct.unpack('<Q', raw[:8])[0]
                header = json.loads(raw[8:8 + n])
                sd = {}
                for k, v in header.items():
                    if k == '__metadata__': continue
                    a, b = v['data_offsets']
                    assert v['dtype'] == 'F32'
                    sd[k] = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32).reshape(v['shape'])
            else:
                sd = torch.load(path)
            m = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.LayerNorm(4))
            m.load_state_dict(sd)
            x = torch.tensor([float(v) for v in sys.argv[2].split(',')]).reshape(2, 3)
            print(' '.join(repr(v) for v in m(x).flatten().tolist()))
            """;
        var xs = string.Join(",", x.data<float>().Select(v => v.ToString("R")));
        var theirs = ReferencePython.Run(script, path, xs).Trim().Split(' ').Select(float.Parse).ToArray();
        Assert.Equal(mine.Length, theirs.Length);
        for (int i = 0; i < mine.Length; i++) Assert.Equal(mine[i], theirs[i], 5);

        using var again = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.LayerNorm(4));
        again.load_weights(path);
        Assert.Equal(mine, again.forward(x).data<float>().ToArray());
    }
}
