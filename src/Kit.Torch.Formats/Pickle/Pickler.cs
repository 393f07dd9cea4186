using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Kit.Torch.Formats;

/// <summary>
/// Writes the kit's object model as a protocol-2 pickle, the protocol torch.save uses. Tensors become
/// torch._utils._rebuild_tensor_v2 calls over persistent storage ids; the storages themselves are handed
/// to <paramref name="addStorage"/>, which returns the record key they will be written under.
/// Containers are memoized, so an object referenced twice is one object again after loading.
/// </summary>
internal sealed class Pickler(Stream output, Func<RawTensor, string> addStorage)
{
    private const int Batch = 1000; // as CPython: SETITEMS/APPENDS in batches keep the loader's stack small
    private readonly Dictionary<object, int> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _globals = [];

    public void Dump(object? obj)
    {
        output.Write([Op.Proto, 2]);
        Save(obj);
        output.WriteByte(Op.Stop);
    }

    private void Save(object? obj)
    {
        if (obj is not null && _memo.TryGetValue(obj, out var index)) { WriteGet(index); return; }
        switch (obj)
        {
            case null: output.WriteByte(Op.None); break;
            case bool b: output.WriteByte(b ? Op.NewTrue : Op.NewFalse); break;
            case long l: SaveLong(l); break;
            case int i: SaveLong(i); break;
            case BigInteger bi: SaveBig(bi); break;
            case double d: SaveDouble(d); break;
            case float f: SaveDouble(f); break;
            case string s: SaveString(s); break;
            case byte[] bytes:
                SaveGlobal("_codecs", "encode");
                SaveString(Encoding.Latin1.GetString(bytes));
                SaveString("latin1");
                output.WriteByte(Op.Tuple2);
                output.WriteByte(Op.Reduce);
                break;
            case PyTuple t: SaveTuple(t); break;
            case PyList list: SaveList(list); break;
            case PyDict dict: SaveDict(dict); break;
            case RawTensor tensor: SaveTensor(tensor); break;
            case DType dtype: SaveGlobal("torch", dtype.TorchName()); break;
            case TorchDevice device:
                SaveGlobal("torch", "device");
                SaveTuple(device.Index is { } deviceIndex ? new PyTuple(device.Type, (long)deviceIndex) : new PyTuple(device.Type));
                output.WriteByte(Op.Reduce);
                break;
            default:
                throw new ArgumentException($"cannot pickle a {obj.GetType().Name}: use PyDict, PyList, PyTuple, long, double, string, bool, null, byte[], RawTensor, DType or TorchDevice");
        }
    }

    private void SaveTensor(RawTensor t)
    {
        if (t.IsParameter)
        {
            SaveGlobal("torch._utils", "_rebuild_parameter");
            output.WriteByte(Op.Mark);
            SaveTensorData(t, requiresGrad: false);
            Save(t.RequiresGrad);
            SaveEmptyOrderedDict();
            output.WriteByte(Op.Tuple);
            output.WriteByte(Op.Reduce);
        }
        else SaveTensorData(t, t.RequiresGrad);
        Memoize(t);
    }

    // torch._utils._rebuild_tensor_v2(storage, 0, size, stride, requires_grad, OrderedDict())
    private void SaveTensorData(RawTensor t, bool requiresGrad)
    {
        SaveGlobal("torch._utils", "_rebuild_tensor_v2");
        output.WriteByte(Op.Mark);
        output.WriteByte(Op.Mark);
        SaveString("storage");
        SaveGlobal("torch", t.DType.TorchStorageName());
        SaveString(addStorage(t));
        SaveString("cpu");
        SaveLong(t.ElementCount);
        output.WriteByte(Op.Tuple);
        output.WriteByte(Op.BinPersId);
        SaveLong(0);
        SaveTuple(new PyTuple(t.Shape.Select(d => (object?)d).ToArray()));
        var stride = new object?[t.Shape.Length];
        long step = 1;
        for (var i = t.Shape.Length - 1; i >= 0; i--) { stride[i] = step; step *= Math.Max(t.Shape[i], 1); }
        SaveTuple(new PyTuple(stride));
        Save(requiresGrad);
        SaveEmptyOrderedDict();
        output.WriteByte(Op.Tuple);
        output.WriteByte(Op.Reduce);
    }

    private void SaveEmptyOrderedDict()
    {
        SaveGlobal("collections", "OrderedDict");
        output.WriteByte(Op.EmptyTuple);
        output.WriteByte(Op.Reduce);
    }

    private void SaveDict(PyDict d)
    {
        if (d.Kind == PyDictKind.Counter)
        {
            // Counter.__reduce__: (Counter, (dict(self),))
            SaveGlobal("collections", "Counter");
            var items = new PyDict();
            foreach (var (k, v) in d) items[k] = v;
            Save(items);
            output.WriteByte(Op.Tuple1);
            output.WriteByte(Op.Reduce);
            Memoize(d);
            return;
        }
        if (d.IsOrderedDict)
        {
            SaveGlobal("collections", "OrderedDict");
            output.WriteByte(Op.EmptyTuple);
            output.WriteByte(Op.Reduce);
        }
        else output.WriteByte(Op.EmptyDict);
        Memoize(d);
        foreach (var chunk in d.Chunk(Batch))
        {
            output.WriteByte(Op.Mark);
            foreach (var (k, v) in chunk) { Save(k); Save(v); }
            output.WriteByte(Op.SetItems);
        }
        if (d.Attributes is { } attrs)
        {
            Save(attrs);
            output.WriteByte(Op.Build);
        }
    }

    private void SaveList(PyList list)
    {
        output.WriteByte(Op.EmptyList);
        Memoize(list);
        foreach (var chunk in list.Chunk(Batch))
        {
            output.WriteByte(Op.Mark);
            foreach (var v in chunk) Save(v);
            output.WriteByte(Op.Appends);
        }
    }

    private void SaveTuple(PyTuple t)
    {
        switch (t.Count)
        {
            case 0: output.WriteByte(Op.EmptyTuple); return;
            case <= 3:
                foreach (var v in t) Save(v);
                output.WriteByte(t.Count == 1 ? Op.Tuple1 : t.Count == 2 ? Op.Tuple2 : Op.Tuple3);
                return;
            default:
                output.WriteByte(Op.Mark);
                foreach (var v in t) Save(v);
                output.WriteByte(Op.Tuple);
                return;
        }
    }

    private void SaveGlobal(string module, string name)
    {
        var key = module + "\n" + name + "\n";
        if (_globals.TryGetValue(key, out var index)) { WriteGet(index); return; }
        output.WriteByte(Op.Global);
        output.Write(Encoding.ASCII.GetBytes(key));
        _globals[key] = WritePut();
    }

    private void SaveLong(long v)
    {
        Span<byte> b = stackalloc byte[5];
        if (v is >= 0 and <= 0xff) { output.WriteByte(Op.BinInt1); output.WriteByte((byte)v); }
        else if (v is >= 0 and <= 0xffff) { output.WriteByte(Op.BinInt2); BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); output.Write(b[..2]); }
        else if (v is >= int.MinValue and <= int.MaxValue) { output.WriteByte(Op.BinInt); BinaryPrimitives.WriteInt32LittleEndian(b, (int)v); output.Write(b[..4]); }
        else SaveBig(v);
    }

    private void SaveBig(BigInteger v)
    {
        var bytes = v.ToByteArray(isUnsigned: false, isBigEndian: false);
        if (bytes.Length < 256) { output.WriteByte(Op.Long1); output.WriteByte((byte)bytes.Length); }
        else
        {
            output.WriteByte(Op.Long4);
            Span<byte> n = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(n, bytes.Length);
            output.Write(n);
        }
        output.Write(bytes);
    }

    private void SaveDouble(double d)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(b, d);
        output.WriteByte(Op.BinFloat);
        output.Write(b);
    }

    private void SaveString(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(n, bytes.Length);
        output.WriteByte(Op.BinUnicode);
        output.Write(n);
        output.Write(bytes);
    }

    private void Memoize(object obj) => _memo[obj] = WritePut();

    private int WritePut()
    {
        var index = _memo.Count + _globals.Count;
        WriteMemoOp(Op.BinPut, Op.LongBinPut, index);
        return index;
    }

    private void WriteGet(int index) => WriteMemoOp(Op.BinGet, Op.LongBinGet, index);

    /// <summary>A memo put or get: the one-byte form below 256, else the four-byte form.</summary>
    private void WriteMemoOp(byte shortOp, byte longOp, int index)
    {
        if (index < 256) { output.WriteByte(shortOp); output.WriteByte((byte)index); }
        else
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, index);
            output.WriteByte(longOp);
            output.Write(b);
        }
    }
}
