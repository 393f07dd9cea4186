using System.Text;
using Kit.TestSupport;

namespace Kit.Torch.Formats.Tests;

/// <summary>A weights file must never run code: pickles naming anything outside the allow-list are refused.</summary>
public class SafetyTests
{
    private static object? Unpickle(byte[] pickle) =>
        new Unpickler(pickle, "evil.pkl", TorchAllowList.Resolve, _ => throw new InvalidOperationException("no storages")).Load();

    private static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    [Theory]
    [InlineData("\u0080\u0002cposix\nsystem\nq\u0000X\u0005\u0000\u0000\u0000echo!\u0085R.", "posix.system")]
    [InlineData("c__builtin__\neval\n(S'1+1'\ntR.", "__builtin__.eval")]
    [InlineData("\u0080\u0004\u0095\u0010\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u008c\u0008builtins\u008c\u0004exec\u0093.", "builtins.exec")]
    [InlineData("\u0080\u0002ctorch\nload\n.", "torch.load")]
    [InlineData("\u0080\u0002ccollections\nnamedtuple\n.", "collections.namedtuple")]
    public void Globals_off_the_allow_list_are_refused_by_name(string pickle, string global)
    {
        var e = Assert.Throws<UnsafePickleException>(() => Unpickle(Bytes(pickle)));
        Assert.Equal(global, e.Global);
        Assert.StartsWith($"refusing to load {global} from evil.pkl: not on the allow-list", e.Message);
    }

    [Theory]
    [InlineData("(ctorch\nFloatStorage\no.")]                       // OBJ: instantiate a class
    [InlineData("(iposix\nsystem\n.")]                               // INST: names the global inline
    [InlineData("\u0080\u0002ctorch\nFloatStorage\n)R.")]               // REDUCE on an allowed marker that is not a function
    [InlineData("\u0080\u0002\u0082\u0001.")]                                // EXT1: the copyreg extension registry
    public void Code_paths_other_than_allow_listed_functions_are_refused(string pickle)
    {
        var e = Assert.ThrowsAny<TorchFormatException>(() => Unpickle(Bytes(pickle)));
        Assert.Contains("evil.pkl", e.Message);
    }

    [Fact]
    public void A_pth_archive_with_a_malicious_pickle_names_the_file()
    {
        using var dir = new TempDir();
        var path = dir["model.pth"];
        using (var f = File.Create(path))
        {
            var zip = new ZipWriter(f);
            zip.Add("model/data.pkl", Bytes("\u0080\u0002}q\u0000X\u0001\u0000\u0000\u0000xcos\nsystem\nX\u0004\u0000\u0000\u0000true\u0085Rs."));
            zip.Add("model/version", "3\n"u8);
            zip.Finish();
        }
        var e = Assert.Throws<UnsafePickleException>(() => Pth.Load(path));
        Assert.Equal("os.system", e.Global);
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void The_allow_list_holds_only_data_builders()
    {
        Assert.Contains("torch._utils._rebuild_tensor_v2", Pth.AllowedGlobals);
        Assert.Contains("collections.OrderedDict", Pth.AllowedGlobals);
        Assert.All(Pth.AllowedGlobals, g => Assert.DoesNotContain(g.Split('.')[0], new[] { "os", "posix", "builtins", "__builtin__", "subprocess", "sys" }));
    }
}
