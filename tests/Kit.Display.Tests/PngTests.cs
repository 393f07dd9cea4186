using Kit.Display.Imaging;
using Kit.TestSupport;

namespace Kit.Display.Tests;

public sealed class PngTests
{
    private static RgbaImage Sample()
    {
        var img = new RgbaImage(37, 23, Color.White);
        img.FillRect(2, 3, 10, 5, new Color(200, 10, 30));
        img.DrawLine(0, 22, 36, 0, new Color(10, 20, 250), 2);
        img[36, 22] = new Color(1, 2, 3);
        return img;
    }

    [Fact]
    public void An_encoded_png_is_read_back_by_pythons_zlib_with_valid_crcs()
    {
        using var dir = new TempDir();
        var file = dir["img.png"];
        var img = Sample();
        File.WriteAllBytes(file, PngEncoder.Encode(img));
        // An independent reader: CRC of every chunk with zlib.crc32, inflate IDAT, undo filter 0.
        var output = ReferencePython.Run("""
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\x89PNG\r\n\x1a\n'
            pos, idat = 8, b''
            while pos < len(data):
                n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
                crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
                assert zlib.crc32(kind + body) & 0xffffffff == crc, kind
                if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
                if kind == b'IDAT': idat += body
                pos += 12 + n
            raw = zlib.decompress(idat)
            def px(x, y):
                row = raw[y*(w*4+1):(y+1)*(w*4+1)]
                assert row[0] == 0
                return tuple(row[1+x*4:1+x*4+4])
            print(w, h, depth, ctype, px(5, 5), px(36, 22), px(30, 30 - 30))
            """, file);
        Assert.Equal($"37 23 8 6 {Py(img[5, 5])} {Py(img[36, 22])} {Py(img[30, 0])}", output.Trim());
        Assert.Equal((200, 10, 30), (img[5, 5].R, img[5, 5].G, img[5, 5].B));
    }

    private static string Py(Color c) => $"({c.R}, {c.G}, {c.B}, {c.A})";

    [Fact]
    public void The_decoder_reads_back_what_the_encoder_wrote()
    {
        var img = Sample();
        var back = PngDecoder.Decode(PngEncoder.Encode(img));
        Assert.Equal(img.Pixels, back.Pixels);
    }
}

public sealed class ChartPngTextTests
{
    /// <summary>Dark (text-coloured) pixels in a region: labels are drawn in dark grey, the data in colour.</summary>
    private static int Ink(RgbaImage img, int x0, int y0, int x1, int y1)
    {
        var n = 0;
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
                if (img[x, y] is { R: < 160, G: < 160, B: < 160 }) n++;
        return n;
    }

    private static RgbaImage Png(Kit.Display.Charts.Chart chart) =>
        PngDecoder.Decode(Convert.FromBase64String(chart.Render().Single(r => r.MimeType == Rendering.Png).Content));

    [Fact]
    public void A_chart_png_carries_its_title_axis_labels_and_tick_values_as_the_svg_does()
    {
        Assert.True(Kit.Display.Charts.ChartFont.Typeface is not null,
            $"no font for chart PNGs: install fonts-dejavu-core (setup.sh does); looked for {string.Join(", ", Kit.Display.Charts.ChartFont.Candidates)}");
        var values = new[] { 3.0, 2, 1.5, 1.2 };
        var labelled = Png(new Kit.Display.Charts.LineChart("Training loss", "step", "loss").Add("train", values));
        var bare = Png(new Kit.Display.Charts.LineChart(null, null, null).Add("train", values));
        var (w, h) = (labelled.Width, labelled.Height);

        Assert.True(Ink(labelled, 0, 0, w, 34) > 150, $"title: {Ink(labelled, 0, 0, w, 34)} text pixels");
        Assert.Equal(0, Ink(bare, 0, 0, w, 34));
        Assert.True(Ink(labelled, 0, h - 24, w, h) > 40, "x-axis label");
        Assert.Equal(0, Ink(bare, 0, h - 24, w, h));
        Assert.True(Ink(labelled, 0, 60, 24, h - 60) > 30, "y-axis label");
        Assert.Equal(0, Ink(bare, 0, 60, 24, h - 60));
        // Tick values: left of the plot area and under it, on both charts.
        Assert.True(Ink(bare, 26, 40, 60, h - 52) > 100, "y tick values");
        Assert.True(Ink(bare, 64, h - 46, w, h - 28) > 100, "x tick values");
    }
}
