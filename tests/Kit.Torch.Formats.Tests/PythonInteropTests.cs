using System.Text.Json.Nodes;
using Kit.TestSupport;

namespace Kit.Torch.Formats.Tests;

/// <summary>Python's torch writes files once for the class (one torch import); the tests read them.</summary>
public sealed class ReferenceFiles : IDisposable
{
    public TempDir Dir { get; } = new("kit-formats-ref");
    public string Marker => Dir["EVIL_RAN"];
    public JsonNode Expected { get; }

    public ReferenceFiles() => Expected = ReferenceScripts.Run("write_reference.py", Dir.Path, Marker);

    public string this[string name] => Dir[name];

    public void Dispose() => Dir.Dispose();
}

public sealed class PythonInteropTests(ReferenceFiles reference) : IClassFixture<ReferenceFiles>
{
    [Theory]
    [InlineData("sd.pth")]
    [InlineData("module.pth")]
    [InlineData("ckpt.pth")]
    [InlineData("deflated.pth")]
    public void Reads_what_torch_save_wrote(string file)
    {
        var loaded = Pth.Load(reference[file]);
        Describe.Equal(reference.Expected[file], Describe.Of(loaded), file);
    }

    [Fact]
    public void Reads_a_state_dict_with_views_resolved_to_contiguous_tensors()
    {
        var sd = Pth.LoadStateDict(reference["sd.pth"]);
        var t = sd["transposed"];
        Assert.Equal([6L, 4L], t.Shape);
        var expected = reference.Expected["sd.pth"]!["v"]!.AsArray().First(kv => kv![0]!["v"]!.GetValue<string>() == "transposed")![1]!;
        Assert.Equal(expected["sha"]!.GetValue<string>(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(t.Data.Span)));
        Assert.True(sd["param"].IsParameter && sd["param"].RequiresGrad);
        Assert.True(sd["frozen_param"].IsParameter && !sd["frozen_param"].RequiresGrad);
    }

    [Fact]
    public void Reads_the_state_dict_inside_a_checkpoint_by_key()
    {
        var sd = Pth.LoadStateDict(reference["ckpt.pth"], "model");
        Assert.Contains("0.weight", sd.Keys);
        var e = Assert.Throws<TorchFormatException>(() => Pth.LoadStateDict(reference["ckpt.pth"]));
        Assert.Contains("'model'", e.Message);
    }

    [Fact]
    public void Reads_safetensors_written_by_an_independent_python_writer()
    {
        using var f = Safetensors.Open(reference["ref.safetensors"]);
        var expected = reference.Expected["ref.safetensors"]!;
        Describe.Equal(expected["tensors"], Describe.OfStateDict(f.ReadAll()), "ref.safetensors");
        Assert.Equal("pt", f.Metadata["format"]);
        Assert.Equal("reference", f.Metadata["source"]);
    }

    [Fact]
    public void Refuses_a_pickle_that_would_run_a_shell_command()
    {
        var e = Assert.Throws<UnsafePickleException>(() => Pth.Load(reference["evil.pth"]));
        Assert.Equal("posix.system", e.Global);
        Assert.Contains("refusing to load posix.system from " + reference["evil.pth"], e.Message);
        Assert.Contains("not on the allow-list", e.Message);
        Assert.False(File.Exists(reference.Marker), "the payload ran");
    }

    /// <summary>The kit writes; Python's torch.load (and a hand-written safetensors reader) reads it back.</summary>
    [Fact]
    public void Torch_reads_what_the_kit_wrote()
    {
        using var dir = new TempDir("kit-formats-out");
        var expected = new Dictionary<string, JsonNode>();

        var sd = KitSamples.StateDict();
        Pth.Save(dir["kit_sd.pth"], sd);
        expected["kit_sd.pth"] = Describe.OfStateDict(sd);
        Pth.Save(dir["kit_linear.pth"], KitSamples.Linear());
        expected["kit_linear.pth"] = Describe.OfStateDict(KitSamples.Linear());
        var many = new StateDict(Enumerable.Range(0, 300).Select(i => KeyValuePair.Create($"layer{i}.bias", RawTensor.Create(KitSamples.Wave(3, i), 3))));
        Pth.Save(dir["kit_many.pth"], many);   // more than 256 memo entries: LONG_BINPUT / LONG_BINGET
        expected["kit_many.pth"] = Describe.OfStateDict(many);
        var ckpt = KitSamples.Checkpoint();
        Pth.Save(dir["kit_ckpt.pth"], ckpt);
        expected["kit_ckpt.pth"] = Describe.Of(ckpt);
        var plain = new StateDict(sd.Select(kv => KeyValuePair.Create(kv.Key, new RawTensor(kv.Value.DType, kv.Value.Shape, kv.Value.Data))));
        Safetensors.Save(dir["kit.safetensors"], plain, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "from the kit" });
        expected["kit.safetensors"] = new JsonObject { ["tensors"] = Describe.OfStateDict(plain), ["metadata"] = new JsonObject { ["format"] = "pt", ["note"] = "from the kit" } };

        // Round trips: what Python wrote, read and written again by the kit, must read in Python as the original.
        foreach (var name in new[] { "sd.pth", "module.pth", "ckpt.pth" })
        {
            Pth.Save(dir["roundtrip_" + name], Pth.Load(reference[name]));
            expected["roundtrip_" + name] = reference.Expected[name]!.DeepClone();
        }
        using (var f = Safetensors.Open(reference["ref.safetensors"]))
            Safetensors.Save(dir["roundtrip_ref.safetensors"], f.ReadAll(), f.Metadata);
        expected["roundtrip_ref.safetensors"] = reference.Expected["ref.safetensors"]!.DeepClone();

        var result = ReferenceScripts.Run("read_kit.py", dir.Path);
        var files = result["files"]!.AsObject();
        Assert.Equal(expected.Keys.Order(), files.Select(f => f.Key).Order());
        foreach (var (name, description) in expected)
        {
            if (name.EndsWith(".safetensors"))
            {
                Describe.Equal(Describe.SortedByKey(description["tensors"]!), Describe.SortedByKey(files[name]!["tensors"]!), name);
                Describe.Equal(description["metadata"], files[name]!["metadata"], name + " metadata");
            }
            else Describe.Equal(description, files[name], name);
        }

        var checks = result["checks"]!;
        Assert.All(checks["zip_damaged"]!.AsObject(), kv => Assert.True(kv.Value is null, $"{kv.Key}: zipfile finds record {kv.Value} damaged"));
        Assert.Equal(expected.Keys.Count(k => k.EndsWith(".pth")), checks["zip_damaged"]!.AsObject().Count);
        Assert.True(checks["arange_equal"]!.GetValue<bool>(), "torch.equal(arange) failed");
        Assert.True(checks["tied_share_storage"]!.GetValue<bool>(), "tensors over the same bytes did not share one storage");
        Assert.True(checks["param_is_parameter"]!.GetValue<bool>(), "the Parameter came back as a plain tensor");
        var w = KitSamples.Linear()["weight"].ToArray<float>();
        var b = KitSamples.Linear()["bias"].ToArray<float>();
        var output = checks["linear_out"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();
        for (var o = 0; o < 3; o++)
            Assert.Equal(b[o] + w[(o * 4)..(o * 4 + 4)].Sum(), output[o], 5);
    }
}
