using System.Text;
using Kit.Training.Metrics;
using Kit.TestSupport;

namespace Kit.Training.Tests.Metrics;

public class TensorBoardWriterTests
{
    // Debian's python3 has no tensorboard package, so the reader below decodes TFRecord framing and the
    // Event/Summary protobuf from their published definitions, with its own bitwise CRC-32C.
    private const string Reader = """
import struct, sys, json
def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF
def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF
def varint(b, i):
    shift = 0; v = 0
    while True:
        x = b[i]; i += 1; v |= (x & 0x7F) << shift; shift += 7
        if x < 0x80: return v, i
def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i); f, wt = key >> 3, key & 7
        if wt == 0: v, i = varint(b, i)
        elif wt == 1: v = b[i:i+8]; i += 8
        elif wt == 5: v = b[i:i+4]; i += 4
        elif wt == 2:
            n, i = varint(b, i); v = b[i:i+n]; i += n
        else: raise Exception("wire type %d" % wt)
        yield f, wt, v
data = open(sys.argv[1], 'rb').read(); i = 0; out = []
while i < len(data):
    header = data[i:i+8]; (n,) = struct.unpack('<Q', header)
    assert struct.unpack('<I', data[i+8:i+12])[0] == masked(header), 'length crc'
    body = data[i+12:i+12+n]
    assert struct.unpack('<I', data[i+12+n:i+16+n])[0] == masked(body), 'data crc'
    i += 16 + n
    ev = {'step': 0, 'scalars': {}}
    for f, wt, v in fields(body):
        if f == 1: ev['wall_time'] = struct.unpack('<d', v)[0]
        elif f == 2: ev['step'] = v
        elif f == 3: ev['file_version'] = v.decode()
        elif f == 5:
            for sf, _, sv in fields(v):
                assert sf == 1
                tag = None; val = None
                for vf, _, vv in fields(sv):
                    if vf == 1: tag = vv.decode()
                    elif vf == 2: val = struct.unpack('<f', vv)[0]
                ev['scalars'][tag] = val
    out.append(ev)
print(json.dumps(out))
""";

    [Fact]
    public void Event_file_reads_back_with_valid_crcs_and_scalars()
    {
        using var dir = new TempDir();
        string path;
        using (var tb = new TensorBoardWriter(dir["tensorboard"]))
        {
            tb.AddScalars(5, [new("train/loss", 1.25), new("lr", 0.001)]);
            tb.AddScalars(300, [new("dev_epoch/post_spectrogram_loss", 0.5)]);
            path = tb.Path;
        }
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(path));
        var json = System.Text.Json.JsonDocument.Parse(ReferencePython.Run(Reader, path)).RootElement;
        Assert.Equal(3, json.GetArrayLength());
        Assert.Equal("brain.Event:2", json[0].GetProperty("file_version").GetString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(json[1].GetProperty("wall_time").GetDouble(), now - 60, now + 1);
        Assert.Equal(5, json[1].GetProperty("step").GetInt64());
        Assert.Equal(1.25, json[1].GetProperty("scalars").GetProperty("train/loss").GetDouble());
        Assert.Equal(0.001, json[1].GetProperty("scalars").GetProperty("lr").GetDouble(), 1e-9);
        Assert.Equal(300, json[2].GetProperty("step").GetInt64());
        Assert.Equal(0.5, json[2].GetProperty("scalars").GetProperty("dev_epoch/post_spectrogram_loss").GetDouble());
    }
}
