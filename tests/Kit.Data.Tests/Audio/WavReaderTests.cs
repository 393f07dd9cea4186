using System.Globalization;
using Kit.Data.Audio;
using Kit.TestSupport;

namespace Kit.Data.Tests.Audio;

/// <summary>Real files from espeak-ng and sox (an independent WAV writer) read back by the kit.</summary>
public sealed class WavReaderTests : IDisposable
{
    private readonly TempDir _dir = new("kit-wav");
    private readonly string _speech;

    public WavReaderTests()
    {
        _speech = AudioTools.Speak(_dir["speech.wav"], "The quick brown fox jumps over the lazy dog, 42 times.");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Probe_matches_soxi_without_decoding()
    {
        var info = WavReader.Probe(_speech);
        Assert.Equal(int.Parse(AudioTools.Soxi("-r", _speech), CultureInfo.InvariantCulture), info.SampleRate);
        Assert.Equal(int.Parse(AudioTools.Soxi("-c", _speech), CultureInfo.InvariantCulture), info.Channels);
        Assert.Equal(long.Parse(AudioTools.Soxi("-s", _speech), CultureInfo.InvariantCulture), info.FrameCount);
        Assert.Equal(16, info.BitsPerSample);
        Assert.Equal(SampleEncoding.Pcm, info.Encoding);
        Assert.Equal(double.Parse(AudioTools.Soxi("-D", _speech), CultureInfo.InvariantCulture), info.DurationSeconds, 3);
    }

    [Theory]
    [InlineData("-b", "8")]
    [InlineData("-b", "24")]
    [InlineData("-b", "32")]
    [InlineData("-e", "floating-point", "-b", "32")]
    [InlineData("-e", "floating-point", "-b", "64")]
    public void Every_bit_depth_sox_writes_decodes_to_the_same_samples(params string[] format)
    {
        var original = WavReader.Read(_speech);
        var converted = _dir["converted.wav"];
        // -D: no dither, so the 8-bit file is a plain requantisation the tolerance can bound.
        AudioTools.Sox([.. new[] { "-D", _speech }, .. format, converted]);
        var clip = WavReader.Read(converted);
        var info = WavReader.Probe(converted);
        Assert.Equal(original.FrameCount, clip.FrameCount);
        Assert.Equal(original.SampleRate, clip.SampleRate);
        double tolerance = info.BitsPerSample == 8 ? 1.0 / 128 + 1e-6 : 1e-6;
        for (int i = 0; i < clip.Samples.Length; i++)
            Assert.True(Math.Abs(original.Samples[i] - clip.Samples[i]) <= tolerance, $"sample {i}: {original.Samples[i]} vs {clip.Samples[i]} ({string.Join(' ', format)})");
    }

    [Fact]
    public void Stereo_44k_extensible_from_sox_decodes_per_channel()
    {
        // sox writes WAVE_FORMAT_EXTENSIBLE for 24-bit; the second channel is made quieter to tell them apart.
        var left = _dir["left.wav"];
        AudioTools.Sox(_speech, "-r", "44100", left);
        var stereo = _dir["stereo.wav"];
        AudioTools.Sox(left, "-b", "24", "-c", "2", stereo, "remix", "1", "1v0.5");
        var info = WavReader.Probe(stereo);
        Assert.True(info.Extensible, "sox is expected to write 24-bit stereo as WAVE_FORMAT_EXTENSIBLE");
        Assert.Equal((44100, 2, 24), (info.SampleRate, info.Channels, info.BitsPerSample));
        var clip = WavReader.Read(stereo);
        var mono = WavReader.Read(left);
        var c0 = clip.Channel(0);
        var c1 = clip.Channel(1);
        Assert.Equal(mono.FrameCount, c0.Length);
        for (int i = 0; i < c0.Length; i++)
        {
            Assert.Equal(mono.Samples[i], c0[i], 4);
            Assert.Equal(mono.Samples[i] * 0.5f, c1[i], 4);
        }
        Assert.Same(mono, mono.FirstChannel());
        Assert.Equal(c0, clip.FirstChannel().Samples);
    }

    [Theory]
    [InlineData(SampleEncoding.Pcm, 8, false)]
    [InlineData(SampleEncoding.Pcm, 16, false)]
    [InlineData(SampleEncoding.Pcm, 24, true)]
    [InlineData(SampleEncoding.Pcm, 32, false)]
    [InlineData(SampleEncoding.Float, 32, true)]
    [InlineData(SampleEncoding.Float, 64, false)]
    public void The_kit_writer_makes_files_sox_reads_the_same(SampleEncoding encoding, int bits, bool extensible)
    {
        var clip = MultiToneStereo(16000, 0.5);
        var path = _dir[$"kit-{encoding}-{bits}.wav"];
        WavWriter.Write(path, clip, new WavFormat(encoding, bits, extensible));
        Assert.Equal("2", AudioTools.Soxi("-c", path));
        Assert.Equal("16000", AudioTools.Soxi("-r", path));
        Assert.Equal(clip.FrameCount.ToString(CultureInfo.InvariantCulture), AudioTools.Soxi("-s", path));
        // sox decodes the file independently to raw float; both must agree with what was written.
        var raw = _dir["raw.f32"];
        AudioTools.Sox(path, "-t", "raw", "-e", "floating-point", "-b", "32", raw);
        var soxSamples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(raw)).ToArray();
        var kitSamples = WavReader.Read(path).Samples;
        double tolerance = bits == 8 ? 1.0 / 127 : 1e-4;
        Assert.Equal(clip.Samples.Length, soxSamples.Length);
        for (int i = 0; i < soxSamples.Length; i++)
        {
            Assert.True(Math.Abs(clip.Samples[i] - soxSamples[i]) <= tolerance, $"sox sample {i}: {soxSamples[i]} vs written {clip.Samples[i]}");
            Assert.True(Math.Abs(kitSamples[i] - soxSamples[i]) <= 1e-6 + (bits == 8 ? 1.0 / 127 : 0), $"kit sample {i}: {kitSamples[i]} vs sox {soxSamples[i]}");
        }
    }

    [Fact]
    public void A_truncated_file_is_a_typed_error_naming_the_file()
    {
        var bytes = File.ReadAllBytes(_speech);
        var path = _dir["truncated.wav"];
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<WavFormatException>(() => WavReader.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.Contains("truncated", e.Reason);
        Assert.Contains(path, e.Message);
        Assert.Throws<WavFormatException>(() => WavReader.Probe(path));
    }

    [Theory]
    [InlineData("not-riff", "not a WAV file")]
    [InlineData("empty", "empty")]
    [InlineData("header-only", "too short")]
    [InlineData("mp3-tag", "MP3")]
    [InlineData("no-fmt", "fmt")]
    [InlineData("zero-channels", "0 channels")]
    [InlineData("12-bit", "12-bit")]
    public void Broken_headers_are_typed_errors(string kind, string reasonPart)
    {
        var good = File.ReadAllBytes(_speech);
        byte[] bytes = kind switch
        {
            "not-riff" => "id|text\nthis is a text file\n"u8.ToArray(),
            "empty" => [],
            "header-only" => good[..8],
            "mp3-tag" => Patch(good, 20, 0x55, 0x00),
            "no-fmt" => Patch(good, 12, (byte)'j', (byte)'u', (byte)'n', (byte)'k'),
            "zero-channels" => Patch(good, 22, 0, 0),
            "12-bit" => Patch(good, 34, 12, 0),
            _ => throw new ArgumentException(kind),
        };
        var path = _dir[kind + ".wav"];
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<WavFormatException>(() => WavReader.Read(path));
        Assert.Contains(reasonPart, e.Reason);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void A_missing_file_is_a_typed_error()
    {
        var e = Assert.Throws<WavFormatException>(() => WavReader.Probe(_dir["nope.wav"]));
        Assert.Contains("does not exist", e.Reason);
    }

    [Fact]
    public void Streamed_headers_with_unknown_size_read_to_the_end_of_the_file()
    {
        // espeak-ng and sox writing to a pipe leave the data size as 0xFFFFFFFF.
        var bytes = File.ReadAllBytes(_speech);
        var path = _dir["streamed.wav"];
        File.WriteAllBytes(path, Patch(bytes, 40, 0xFF, 0xFF, 0xFF, 0xFF));
        Assert.Equal(WavReader.Probe(_speech).FrameCount, WavReader.Probe(path).FrameCount);
    }

    private static byte[] Patch(byte[] source, int offset, params byte[] values)
    {
        var copy = (byte[])source.Clone();
        values.CopyTo(copy, offset);
        return copy;
    }

    internal static AudioClip MultiToneStereo(int rate, double seconds)
    {
        int frames = (int)(rate * seconds);
        var samples = new float[frames * 2];
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / rate;
            samples[2 * i] = (float)(0.5 * Math.Sin(2 * Math.PI * 440 * t) + 0.3 * Math.Sin(2 * Math.PI * 1234 * t));
            samples[2 * i + 1] = (float)(0.7 * Math.Sin(2 * Math.PI * 300 * t + 1));
        }
        return new AudioClip(samples, rate, 2);
    }
}
