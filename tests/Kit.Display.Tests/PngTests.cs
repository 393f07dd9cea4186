using Kit.Display.Charts;
using Kit.Display.Imaging;
using SkiaSharp;
using Kit.TestSupport;

namespace Kit.Display.Tests;

public sealed class PngTests
{
    /// <summary>A chart with a filled rectangle, a line and a heatmap picture: every kind of shape but text.</summary>
    private static SKBitmap Sample()
    {
        using var scene = new Scene(37, 23);
        scene.Add(new Rect(2, 3, 10, 5, new Color(200, 10, 30)));
        scene.Add(new Polyline([(0, 22), (36, 0)], new Color(10, 20, 250), 2));
        using var cells = new Heatmap([[0.0, 1], [2, 3]]).Pixels();
        scene.Add(new Picture(30, 18, 6, 4, cells.Copy()));
        return PngRasterizer.Rasterize(scene);
    }

    [Fact]
    public void An_encoded_png_is_read_back_by_pythons_zlib_with_valid_crcs()
    {
        using var dir = new TempDir();
        var file = dir["img.png"];
        using var img = Sample();
        File.WriteAllBytes(file, Png.Encode(img));
        // An independent reader: CRC of every chunk with zlib.crc32, inflate IDAT, undo the row filters.
        var output = ReferencePython.Run("""
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\x89PNG\r\n\x1a\n'
            pos, idat = 8, b''
            while pos < len(data):
                n, = struct.unpack('>I', data[pos:pos+4]); kind = data[pos+4:pos+8]; body = data[pos+8:pos+8+n]
                crc, = struct.unpack('>I', data[pos+8+n:pos+12+n])
                assert zlib.crc32(kind + body) & 0xffffffff == crc, kind
                if kind == b'IHDR': w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
                if kind == b'IDAT': idat += body
                pos += 12 + n
            assert depth == 8 and interlace == 0 and ctype in (2, 6), (depth, ctype, interlace)
            bpp = 3 if ctype == 2 else 4
            raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
            for y in range(h):
                f, cur = raw[y*(stride+1)], bytearray(raw[y*(stride+1)+1:(y+1)*(stride+1)])
                for i in range(stride):
                    a = cur[i-bpp] if i >= bpp else 0; b = prev[i]; c = prev[i-bpp] if i >= bpp else 0
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = [0, a, b, (a + b) // 2, a if pa <= pb and pa <= pc else b if pb <= pc else c][f]
                    cur[i] = (cur[i] + pred) & 255
                rows.append(cur); prev = cur
            px = lambda x, y: tuple(rows[y][x*bpp:x*bpp+3])
            print(w, h, px(5, 5), px(18, 11), px(31, 21), px(35, 18))
            """, file);
        Assert.Equal($"37 23 {Py(img, 5, 5)} {Py(img, 18, 11)} {Py(img, 31, 21)} {Py(img, 35, 18)}", output.Trim());
        Assert.Equal(new SKColor(200, 10, 30), img.GetPixel(5, 5)); // inside the rectangle: its exact colour
        Assert.Equal(ColorMap.Viridis(0), Color.From(img.GetPixel(31, 21))); // the picture's bottom-left cell
        Assert.Equal(ColorMap.Viridis(1), Color.From(img.GetPixel(35, 18))); // and its top-right one
        var onLine = img.GetPixel(18, 11); // the line's middle: blue-ish (antialiased, so not exactly its colour)
        Assert.True(onLine.Blue > 200 && onLine.Red < 80 && onLine.Green < 80, $"pixel on the line is {onLine}");
    }

    private static string Py(SKBitmap img, int x, int y) => img.GetPixel(x, y) is var c ? $"({c.Red}, {c.Green}, {c.Blue})" : "";

    [Fact]
    public void SkiaSharp_reads_back_exactly_what_the_kit_wrote()
    {
        using var img = Sample();
        using var back = SKBitmap.Decode(Png.Encode(img));
        Assert.Equal((img.Width, img.Height), (back.Width, back.Height));
        Assert.Equal(img.Pixels, back.Pixels);
    }
}

public sealed class ChartPngTextTests
{
    /// <summary>Dark (text-coloured) pixels in a region: labels are drawn in dark grey, the data in colour.</summary>
    private static int Ink(SKBitmap img, int x0, int y0, int x1, int y1)
    {
        var n = 0;
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
                if (img.GetPixel(x, y) is { Red: < 160, Green: < 160, Blue: < 160 }) n++;
        return n;
    }

    private static SKBitmap Png(Kit.Display.Charts.Chart chart) =>
        SKBitmap.Decode(Convert.FromBase64String(chart.Render().Single(r => r.MimeType == Rendering.Png).Content));

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
