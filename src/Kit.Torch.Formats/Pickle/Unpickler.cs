using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kit.Torch.Formats;

/// <summary>
/// A pickle virtual machine that builds the kit's object model (<see cref="PyDict"/>, <see cref="PyList"/>,
/// <see cref="PyTuple"/>, long, double, string, bool, null, byte[], <see cref="RawTensor"/>). Globals are
/// looked up through <paramref name="resolveGlobal"/>, the allow-list: anything it does not know is refused
/// when the pickle names it, so no call is ever made on behalf of an unknown name.
/// </summary>
internal sealed class Unpickler(
    byte[] data, string filePath,
    Func<string, string, PyGlobal?> resolveGlobal,
    Func<object?, object?>? persistentLoad = null,
    string record = "pickle")
{
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;
    private int _opStart;

    public object? Load()
    {
        try { return Run(); }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or InvalidCastException
                                      or IndexOutOfRangeException or KeyNotFoundException)
        {
            // Damage in the pickle surfaces as these from parsing; say where, and that the file is at fault.
            throw Error($"damaged pickle: {e.Message}", e);
        }
    }

    private object? Run()
    {
        while (true)
        {
            _opStart = _pos;
            var op = ReadByte();
            switch (op)
            {
                case Op.Proto:
                    var proto = ReadByte();
                    if (proto > 5) throw Error($"pickle protocol {proto} is newer than 5");
                    break;
                case Op.Frame: ReadBytes(8); break; // frames only group bytes; the data is read straight through
                case Op.Stop:
                    if (_stack.Count != 1) throw Error($"STOP with {_stack.Count} values on the stack");
                    return _stack[0];

                case Op.Mark: _marks.Push(_stack.Count); break;
                case Op.Pop: if (_marks.Count > 0 && _marks.Peek() == _stack.Count) _marks.Pop(); else PopValue(); break;
                case Op.PopMark: PopMark(); break;
                case Op.Dup: Push(Top()); break;

                case Op.None: Push(null); break;
                case Op.NewTrue: Push(true); break;
                case Op.NewFalse: Push(false); break;
                case Op.BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case Op.BinInt1: Push((long)ReadByte()); break;
                case Op.BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case Op.Long1: Push(ReadLong(ReadByte())); break;
                case Op.Long4: Push(ReadLong(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break;
                case Op.Int: Push(ParseTextInt(ReadLine())); break;
                case Op.Long: Push(ParseTextLong(ReadLine())); break;
                case Op.Float: Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture)); break;
                case Op.BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;

                case Op.BinUnicode: Push(ReadUtf8(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
                case Op.ShortBinUnicode: Push(ReadUtf8(ReadByte())); break;
                case Op.BinUnicode8: Push(ReadUtf8(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8)))); break;
                case Op.Unicode: Push(DecodeRawUnicodeEscape(ReadLine())); break;
                // Python 2 str: decoded as latin-1, as torch.load's default encoding for old checkpoints does.
                case Op.String: Push(Unquote(ReadLine())); break;
                case Op.BinString: Push(Encoding.Latin1.GetString(ReadSized(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break;
                case Op.ShortBinString: Push(Encoding.Latin1.GetString(ReadSized(ReadByte()))); break;
                case Op.BinBytes: Push(ReadSized(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))).ToArray()); break;
                case Op.ShortBinBytes: Push(ReadSized(ReadByte()).ToArray()); break;
                case Op.BinBytes8: case Op.ByteArray8: Push(ReadSized(BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8))).ToArray()); break;

                case Op.EmptyTuple: Push(new PyTuple()); break;
                case Op.Tuple: Push(new PyTuple(PopMark().ToArray())); break;
                case Op.Tuple1: { var a = PopValue(); Push(new PyTuple(a)); break; }
                case Op.Tuple2: { var b = PopValue(); var a = PopValue(); Push(new PyTuple(a, b)); break; }
                case Op.Tuple3: { var c = PopValue(); var b = PopValue(); var a = PopValue(); Push(new PyTuple(a, b, c)); break; }
                case Op.EmptyList: Push(new PyList()); break;
                case Op.List: Push(new PyList(PopMark())); break;
                case Op.Append: { var v = PopValue(); TopAs<PyList>("APPEND").Add(v); break; }
                case Op.Appends: { var items = PopMark(); TopAs<PyList>("APPENDS").AddRange(items); break; }
                case Op.EmptyDict: Push(new PyDict()); break;
                case Op.Dict: { var items = PopMark(); var d = new PyDict(); SetItems(d, items); Push(d); break; }
                case Op.SetItem: { var v = PopValue(); var k = PopValue(); SetItems(TopAs<PyDict>("SETITEM"), [k, v]); break; }
                case Op.SetItems: { var items = PopMark(); SetItems(TopAs<PyDict>("SETITEMS"), items); break; }
                case Op.EmptySet: case Op.AddItems: case Op.FrozenSet:
                    throw Error("Python sets are not supported in weights files");

                case Op.Put: _memo[long.Parse(ReadLine(), CultureInfo.InvariantCulture)] = Top(); break;
                case Op.BinPut: _memo[ReadByte()] = Top(); break;
                case Op.LongBinPut: _memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Top(); break;
                case Op.Memoize: _memo[_memo.Count] = Top(); break;
                case Op.Get: Push(FromMemo(long.Parse(ReadLine(), CultureInfo.InvariantCulture))); break;
                case Op.BinGet: Push(FromMemo(ReadByte())); break;
                case Op.LongBinGet: Push(FromMemo(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;

                case Op.Global:
                    {
                        var module = ReadLine();
                        var name = ReadLine();
                        Push(Resolve(module, name));
                        break;
                    }
                case Op.StackGlobal:
                    {
                        var name = PopValue() as string ?? throw Error("STACK_GLOBAL name is not a string");
                        var module = PopValue() as string ?? throw Error("STACK_GLOBAL module is not a string");
                        Push(Resolve(module, name));
                        break;
                    }
                case Op.Reduce:
                    {
                        var args = PopValue() as PyTuple ?? throw Error("REDUCE arguments are not a tuple");
                        Push(Call(PopValue(), args));
                        break;
                    }
                case Op.NewObj:
                    {
                        var args = PopValue() as PyTuple ?? throw Error("NEWOBJ arguments are not a tuple");
                        Push(Call(PopValue(), args));
                        break;
                    }
                case Op.Build: { var state = PopValue(); Build(Top(), state); break; }
                case Op.BinPersId: Push(PersistentLoad(PopValue())); break;
                case Op.PersId: Push(PersistentLoad(ReadLine())); break;

                case Op.Inst: case Op.Obj: case Op.NewObjEx:
                case Op.Ext1: case Op.Ext2: case Op.Ext4:
                case Op.NextBuffer: case Op.ReadOnlyBuffer:
                    throw Error($"pickle opcode 0x{op:x2} is not supported in weights files");
                default:
                    throw Error($"unknown pickle opcode 0x{op:x2}: the file is damaged or not a pickle");
            }
        }
    }

    private object Resolve(string module, string name)
    {
        var g = resolveGlobal(module, name) ?? throw new UnsafePickleException(filePath, $"{module}.{name}", $"{record} offset {_opStart}");
        return g.Constant ?? g;
    }

    private object? Call(object? callable, PyTuple args)
    {
        if (callable is not PyGlobal { Call: { } fn } g)
            throw Error($"cannot call {PyRepr.Of(callable)}: only allow-listed functions may be called");
        try { return fn(args); }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            throw Error($"{g.FullName}{PyRepr.Of(args, 1)}: {e.Message}", e);
        }
    }

    private void Build(object? target, object? state)
    {
        switch (target)
        {
            case PyDict d when state is PyDict attrs: d.Attributes = attrs; break;
            case PyDict when state is null: break;
            // Tensor state (e.g. Python attributes on a subclass) has no meaning for the weights: kept out.
            case RawTensor: break;
            default: throw Error($"cannot apply BUILD state to {PyRepr.TypeName(target)}");
        }
    }

    private object? PersistentLoad(object? pid) =>
        persistentLoad is null ? throw Error("persistent id in a pickle that has no storages") : persistentLoad(pid);

    private void SetItems(PyDict d, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Error("SETITEMS with an odd number of values");
        for (var i = 0; i < items.Count; i += 2)
            d[items[i] ?? throw Error("None as a dict key is not supported")] = items[i + 1];
    }

    private void Push(object? v) => _stack.Add(v);

    private object? Top() => _stack.Count > 0 ? _stack[^1] : throw Error("stack underflow");

    private T TopAs<T>(string opName) where T : class =>
        Top() as T ?? throw Error($"{opName} on {PyRepr.TypeName(Top())}");

    private object? PopValue()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() >= _stack.Count)) throw Error("stack underflow");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Error("no MARK on the stack");
        var m = _marks.Pop();
        var items = _stack.GetRange(m, _stack.Count - m);
        _stack.RemoveRange(m, _stack.Count - m);
        return items;
    }

    private object? FromMemo(long key) =>
        _memo.TryGetValue(key, out var v) ? v : throw Error($"memo key {key} was never stored");

    private byte ReadByte() => _pos < data.Length ? data[_pos++] : throw Truncated();

    private ReadOnlySpan<byte> ReadBytes(int n)
    {
        if (data.Length - _pos < n) throw Truncated();
        var s = data.AsSpan(_pos, n);
        _pos += n;
        return s;
    }

    private ReadOnlySpan<byte> ReadSized(ulong n) => n > (ulong)(data.Length - _pos) ? throw Truncated() : ReadBytes((int)n);

    private string ReadUtf8(ulong n) => Encoding.UTF8.GetString(ReadSized(n));

    private string ReadLine()
    {
        var end = Array.IndexOf(data, (byte)'\n', _pos);
        if (end < 0) throw Truncated();
        var s = Encoding.Latin1.GetString(data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }

    private object ReadLong(int n)
    {
        var v = new BigInteger(ReadBytes(n), isUnsigned: false, isBigEndian: false);
        return v >= long.MinValue && v <= long.MaxValue ? (object)(long)v : v;
    }

    private static object ParseTextInt(string s) => s switch
    {
        "00" => false,
        "01" => true,
        _ => ParseTextLong(s),
    };

    private static object ParseTextLong(string s)
    {
        var v = BigInteger.Parse(s.TrimEnd('L'), CultureInfo.InvariantCulture);
        return v >= long.MinValue && v <= long.MaxValue ? (object)(long)v : v;
    }

    private string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '\'' || s[0] == '"') && s[^1] == s[0] ? System.Text.RegularExpressions.Regex.Unescape(s[1..^1])
        : throw Error("STRING argument is not quoted");

    private static string DecodeRawUnicodeEscape(string s) =>
        System.Text.RegularExpressions.Regex.Replace(s, @"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})",
            m => char.ConvertFromUtf32(int.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, NumberStyles.HexNumber)));

    private TorchFormatException Truncated() => Error("pickle ends early: the file is truncated or damaged");

    private TorchFormatException Error(string message, Exception? inner = null) =>
        new(filePath, $"{message} ({record} offset {_opStart})", inner);
}
