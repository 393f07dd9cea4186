using System.Numerics;
using System.Text;

namespace Kit.Torch.Formats.Tests;

/// <summary>The pickle writer and the allow-listed reader against each other, without files or Python.</summary>
public class PickleTests
{
    private static object? RoundTrip(object? value)
    {
        var stored = new List<RawTensor>();
        var ms = new MemoryStream();
        new Pickler(ms, t => { stored.Add(t); return (stored.Count - 1).ToString(); }).Dump(value);
        return new Unpickler(ms.ToArray(), "memory", TorchAllowList.Resolve, pid =>
        {
            var t = (PyTuple)pid!;
            var tensor = stored[int.Parse((string)t[2]!)];
            return new MemoryStorage((string)t[2]!, tensor.DType, (long)t[4]!, tensor.Data.ToArray());
        }).Load();
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(65535L)]
    [InlineData(65536L)]
    [InlineData(-1L)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue + 1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void Integers_round_trip(long value) => Assert.Equal(value, RoundTrip(value));

    [Fact]
    public void Scalars_round_trip()
    {
        Assert.Equal(BigInteger.Pow(-3, 200), RoundTrip(BigInteger.Pow(-3, 200)));
        foreach (var d in new[] { 0.1, -0.0, double.NaN, double.PositiveInfinity, double.Epsilon, 1e308 })
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits((double)RoundTrip(d)!));
        foreach (var s in new[] { "", "ascii", "ünï ✓ 𝄞", "line\nbreak" }) Assert.Equal(s, RoundTrip(s));
        Assert.Equal(new byte[] { 0, 128, 255 }, RoundTrip(new byte[] { 0, 128, 255 }));
        Assert.Null(RoundTrip(null));
        Assert.Equal(true, RoundTrip(true));
        Assert.Equal(false, RoundTrip(false));
    }

    [Fact]
    public void Containers_round_trip_with_order_kind_and_shared_references()
    {
        var shared = new PyList { 1L, "two" };
        var dict = new PyDict(isOrderedDict: true) { Attributes = new PyDict { ["_metadata"] = new PyDict { [""] = new PyDict { ["version"] = 1L } } } };
        for (var i = 2500; i > 0; i--) dict[$"k{i}"] = (long)i;    // more than one SETITEMS batch, not in sorted order
        var root = new PyDict
        {
            ["dict"] = dict,
            ["a"] = shared,
            ["b"] = shared,
            ["tuples"] = new PyList { new PyTuple(), new PyTuple(1L), new PyTuple(1L, 2L), new PyTuple(1L, 2L, 3L), new PyTuple(1L, 2L, 3L, 4L, 5L) },
            [3L] = "int key",
            [new PyTuple("x", 1L)] = "tuple key",
        };
        var back = (PyDict)RoundTrip(root)!;
        Assert.Equal(Describe.Of(root).ToJsonString(), Describe.Of(back).ToJsonString());
        Assert.Same(back["a"], back["b"]);
        var d = (PyDict)back["dict"]!;
        Assert.True(d.IsOrderedDict);
        Assert.Equal(dict.Keys, d.Keys);
        Assert.Equal(1L, ((PyDict)((PyDict)d.Attributes!["_metadata"]!)[""]!)["version"]);
        Assert.Equal("tuple key", back[new PyTuple("x", 1L)]);
    }

    [Fact]
    public void A_list_that_contains_itself_round_trips()
    {
        var list = new PyList { 1L };
        list.Add(list);
        var back = (PyList)RoundTrip(list)!;
        Assert.Same(back, back[1]);
    }

    [Fact]
    public void Tensors_round_trip_with_autograd_flags_and_identity()
    {
        var t = RawTensor.Create(new[] { 1f, 2f, 3f, 4f }, 2, 2);
        var p = t with { IsParameter = true, RequiresGrad = true };
        var back = (PyList)RoundTrip(new PyList { t, p, t })!;
        Assert.Equal(t, back[0]);
        Assert.Equal(p, back[1]);
        Assert.Same(back[0], back[2]);
    }

    [Fact]
    public void Other_types_are_refused_when_writing() =>
        Assert.Throws<ArgumentException>(() => RoundTrip(new PyList { new object() }));

    private sealed class MemoryStorage(string key, DType dtype, long n, byte[] bytes) : TorchStorage(key, dtype, n)
    {
        public override void Read(long byteOffset, Span<byte> destination) => bytes.AsSpan((int)byteOffset, destination.Length).CopyTo(destination);
    }
}
