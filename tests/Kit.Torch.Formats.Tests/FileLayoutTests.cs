using System.Buffers.Binary;
using System.Text;
using Kit.TestSupport;

namespace Kit.Torch.Formats.Tests;

/// <summary>Byte-level promises of the writers: what torch's own writer and the safetensors reference do.</summary>
public class FileLayoutTests
{
    [Fact]
    public void Pth_records_are_stored_and_64_byte_aligned_under_one_archive_folder()
    {
        using var dir = new TempDir();
        var path = dir["voice.pth"];
        Pth.Save(path, KitSamples.StateDict());
        using var zip = new ZipReader(path);
        Assert.Contains("voice/data.pkl", zip.Entries.Keys);
        Assert.Contains("voice/version", zip.Entries.Keys);
        Assert.Contains("voice/byteorder", zip.Entries.Keys);
        Assert.Equal("3\n", Encoding.ASCII.GetString(zip.ReadAll(zip.Entries["voice/version"])));
        foreach (var e in zip.Entries.Values)
        {
            Assert.Equal(0, e.Method);
            Assert.Equal(0, zip.DataOffset(e) % 64);
            Assert.Equal(e.Crc, System.IO.Hashing.Crc32.HashToUInt32(zip.ReadAll(e)));
        }
        // 16 tensors, two over the same bytes: 15 storages.
        Assert.Equal(15, zip.Entries.Keys.Count(k => k.StartsWith("voice/data/")));
    }

    [Fact]
    public void Safetensors_header_is_space_padded_and_tensors_aligned_to_their_element_size()
    {
        using var dir = new TempDir();
        var path = dir["w.safetensors"];
        var sd = KitSamples.StateDict();
        var plain = new StateDict(sd.Select(kv => KeyValuePair.Create(kv.Key, new RawTensor(kv.Value.DType, kv.Value.Shape, kv.Value.Data))));
        Safetensors.Save(path, plain);
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, n);
        Assert.StartsWith("{", header);
        Assert.Matches(@"^\{.*\} *$", header);
        using var f = Safetensors.Open(path);
        Assert.All(f.Entries, e => Assert.Equal(0, e.Begin % e.DType.ElementSize()));
        foreach (var (name, t) in plain) Assert.Equal(t, f.Read(name));
        var entry = f.Entries[0];
        var into = new byte[entry.ByteLength];
        f.ReadInto(entry, into);
        Assert.Equal(plain[entry.Name].Data.ToArray(), into);
        Assert.Throws<ArgumentException>(() => f.ReadInto(entry, new byte[entry.ByteLength + 1]));
    }

    [Fact]
    public void Saving_replaces_a_file_only_when_complete()
    {
        using var dir = new TempDir();
        var path = dir["w.pth"];
        File.WriteAllText(path, "previous");
        Assert.Throws<ArgumentException>(() => Pth.Save(path, new PyList { new object() }));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
