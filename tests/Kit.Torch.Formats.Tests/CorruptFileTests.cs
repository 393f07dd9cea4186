using System.Buffers.Binary;
using System.Text;
using Kit.TestSupport;

namespace Kit.Torch.Formats.Tests;

/// <summary>Damaged files fail with a <see cref="TorchFormatException"/> that names the file, never with
/// an unrelated exception or a silent partial load.</summary>
public class CorruptFileTests
{
    private static void AssertNamesFile(string path, Action load)
    {
        var e = Assert.ThrowsAny<TorchFormatException>(load);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
    }

    private static string KitPth(TempDir dir)
    {
        var path = dir["model.pth"];
        Pth.Save(path, KitSamples.Checkpoint());
        return path;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void A_truncated_pth_is_reported(double keep)
    {
        using var dir = new TempDir();
        var path = KitPth(dir);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        AssertNamesFile(path, () => Pth.Load(path));
    }

    [Fact]
    public void A_pth_cut_inside_a_storage_record_is_reported()
    {
        using var dir = new TempDir();
        var path = dir["big.pth"];
        Pth.Save(path, new StateDict { { "w", RawTensor.Create(new float[10000], 10000) } });
        // Keep the directory at the end but drop bytes from the middle, as a broken copy might.
        var bytes = File.ReadAllBytes(path);
        var cut = bytes[..2000].Concat(bytes[20000..]).ToArray();
        File.WriteAllBytes(path, cut);
        AssertNamesFile(path, () => Pth.Load(path));
    }

    [Fact]
    public void Every_flipped_byte_in_the_pickle_loads_or_fails_as_a_format_error()
    {
        using var dir = new TempDir();
        var path = KitPth(dir);
        var original = File.ReadAllBytes(path);
        var pklStart = 64;   // the first record's data is 64-byte aligned right after its local header
        var pklLength = BinaryPrimitives.ReadInt32LittleEndian(original.AsSpan(18));
        var random = new Random(7);
        for (var i = 0; i < pklLength; i += 1 + random.Next(3))
        {
            var bytes = (byte[])original.Clone();
            bytes[pklStart + i] ^= (byte)(1 + random.Next(255));
            File.WriteAllBytes(path, bytes);
            try { Pth.Load(path); }
            catch (TorchFormatException e) { Assert.Equal(path, e.FilePath); }
        }
    }

    [Fact]
    public void Files_that_are_not_pth_archives_are_reported()
    {
        using var dir = new TempDir();
        var random = dir["random.pth"];
        File.WriteAllBytes(random, Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 % 251)).ToArray());
        AssertNamesFile(random, () => Pth.Load(random));

        var legacy = dir["legacy.pth"];
        File.WriteAllBytes(legacy, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
        var e = Assert.Throws<TorchFormatException>(() => Pth.Load(legacy));
        Assert.Contains("legacy torch.save format", e.Message);

        var otherZip = dir["other.zip"];
        using (var f = File.Create(otherZip)) { var z = new ZipWriter(f); z.Add("readme.txt", "hi"u8); z.Finish(); }
        AssertNamesFile(otherZip, () => Pth.Load(otherZip));
    }

    [Fact]
    public void A_big_endian_archive_is_refused_rather_than_read_scrambled()
    {
        using var dir = new TempDir();
        var path = dir["be.pth"];
        using (var f = File.Create(path))
        {
            var zip = new ZipWriter(f);
            zip.Add("be/data.pkl", new byte[] { Op.Proto, 2, Op.None, Op.Stop });
            zip.Add("be/byteorder", "big"u8);
            zip.Finish();
        }
        Assert.Contains("big-endian", Assert.Throws<TorchFormatException>(() => Pth.Load(path)).Message);
    }

    private static string SafetensorsWithHeader(TempDir dir, string json, int dataBytes, ulong? lengthField = null)
    {
        var path = dir["bad.safetensors"];
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengthField ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4, "truncated")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "gap")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "needs 12 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12, "belong to no tensor")]
    [InlineData("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "C64")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "malformed")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "invalid data_offsets")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8, "not valid JSON")]
    [InlineData("[1, 2]", 0, "does not start with")]
    [InlineData("{\"__metadata__\":{\"n\":1}}", 0, "not a string")]
    public void Damaged_safetensors_headers_are_reported(string json, int dataBytes, string reason)
    {
        using var dir = new TempDir();
        var path = SafetensorsWithHeader(dir, json, dataBytes);
        var e = Assert.ThrowsAny<TorchFormatException>(() => Safetensors.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_length_field_beyond_the_file_or_the_limit_is_reported()
    {
        using var dir = new TempDir();
        var path = SafetensorsWithHeader(dir, "{}", 0, lengthField: 1000);
        Assert.Contains("truncated", Assert.ThrowsAny<TorchFormatException>(() => Safetensors.Load(path)).Message);
        path = SafetensorsWithHeader(dir, "{}", 0, lengthField: ulong.MaxValue);
        Assert.Contains("limit", Assert.ThrowsAny<TorchFormatException>(() => Safetensors.Load(path)).Message);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.ThrowsAny<TorchFormatException>(() => Safetensors.Load(path)).Message);
    }

    [Fact]
    public void A_safetensors_file_cut_short_is_reported()
    {
        using var dir = new TempDir();
        var path = dir["w.safetensors"];
        Safetensors.Save(path, KitSamples.Linear());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        AssertNamesFile(path, () => Safetensors.Load(path));
    }
}
