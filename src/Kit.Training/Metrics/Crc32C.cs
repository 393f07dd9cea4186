namespace Kit.Training.Metrics;

/// <summary>CRC-32C (Castagnoli), the checksum TFRecord framing uses, plus its rotate-and-add mask.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>TFRecord stores masked CRCs, so a CRC of data that itself holds CRCs stays well distributed.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Compute(data);
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
