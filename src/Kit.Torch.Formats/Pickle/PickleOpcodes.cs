namespace Kit.Torch.Formats;

/// <summary>The pickle opcodes (CPython Lib/pickletools.py names them all), protocols 0 to 5.</summary>
internal static class Op
{
    public const byte Mark = (byte)'(', Stop = (byte)'.', Pop = (byte)'0', PopMark = (byte)'1', Dup = (byte)'2';
    public const byte Float = (byte)'F', Int = (byte)'I', BinInt = (byte)'J', BinInt1 = (byte)'K', Long = (byte)'L', BinInt2 = (byte)'M';
    public const byte None = (byte)'N', PersId = (byte)'P', BinPersId = (byte)'Q', Reduce = (byte)'R';
    public const byte String = (byte)'S', BinString = (byte)'T', ShortBinString = (byte)'U', Unicode = (byte)'V', BinUnicode = (byte)'X';
    public const byte Append = (byte)'a', Build = (byte)'b', Global = (byte)'c', Dict = (byte)'d', EmptyDict = (byte)'}', Appends = (byte)'e';
    public const byte Get = (byte)'g', BinGet = (byte)'h', Inst = (byte)'i', LongBinGet = (byte)'j', List = (byte)'l', EmptyList = (byte)']';
    public const byte Obj = (byte)'o', Put = (byte)'p', BinPut = (byte)'q', LongBinPut = (byte)'r', SetItem = (byte)'s', Tuple = (byte)'t';
    public const byte EmptyTuple = (byte)')', SetItems = (byte)'u', BinFloat = (byte)'G';
    public const byte Proto = 0x80, NewObj = 0x81, Ext1 = 0x82, Ext2 = 0x83, Ext4 = 0x84, Tuple1 = 0x85, Tuple2 = 0x86, Tuple3 = 0x87;
    public const byte NewTrue = 0x88, NewFalse = 0x89, Long1 = 0x8a, Long4 = 0x8b;
    public const byte BinBytes = (byte)'B', ShortBinBytes = (byte)'C';
    public const byte ShortBinUnicode = 0x8c, BinUnicode8 = 0x8d, BinBytes8 = 0x8e, EmptySet = 0x8f, AddItems = 0x90, FrozenSet = 0x91;
    public const byte NewObjEx = 0x92, StackGlobal = 0x93, Memoize = 0x94, Frame = 0x95;
    public const byte ByteArray8 = 0x96, NextBuffer = 0x97, ReadOnlyBuffer = 0x98;
}
