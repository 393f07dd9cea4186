using Kit.Data.Audio;
using Kit.Display;
using Kit.TestSupport;

namespace Kit.Data.Tests.Audio;

/// <summary>
/// MP3, FLAC and OGG Vorbis clips made from one espeak-ng WAV (by lame and sox) read like that WAV: the same
/// length within a frame, the same levels, and, for lossless FLAC, the same samples.
/// </summary>
public sealed class CompressedAudioTests : IDisposable
{
    private readonly TempDir _dir = new("kit-compressed");
    private readonly string _wav;

    /// <summary>One 10 ms analysis frame at 22,050 Hz, in seconds: how close a compressed clip's length must be.</summary>
    private const double Frame = 0.01;

    public CompressedAudioTests()
    {
        _wav = AudioTools.Speak(_dir["speech.wav"], "The quick brown fox jumps over the lazy dog, twice.");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Encodes the WAV: lame for .mp3 (sox here has no MP3 writer), sox for the rest, with extra options.</summary>
    private string Encode(string name, params string[] options)
    {
        var path = _dir[name];
        if (name.EndsWith(".mp3")) AudioTools.Lame([.. options, _wav, path]);
        else AudioTools.Sox([_wav, .. options, path]);
        return path;
    }

    public static TheoryData<string, string[], AudioContainer, string> Encodings => new()
    {
        { "vbr.mp3", ["-V", "2"], AudioContainer.Mp3, "MP3" },
        { "cbr.mp3", ["-b", "64"], AudioContainer.Mp3, "MP3" },
        { "speech.flac", [], AudioContainer.Flac, "FLAC 16-bit" },
        { "speech.ogg", [], AudioContainer.Ogg, "OGG Vorbis" },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_compressed_clip_is_measured_like_the_wav_it_came_from(string name, string[] options, AudioContainer container, string format)
    {
        var path = Encode(name, options);
        var wavInfo = AudioFile.Probe(_wav);
        var info = AudioFile.Probe(path);
        Assert.Equal(container, info.Container);
        Assert.Equal(format, info.Format);
        Assert.Equal(wavInfo.SampleRate, info.SampleRate);
        Assert.Equal(1, info.Channels);
        Assert.InRange(info.DurationSeconds, wavInfo.DurationSeconds - Frame, wavInfo.DurationSeconds + Frame);

        var wav = AudioFile.Read(_wav);
        var clip = AudioFile.Read(path);
        Assert.Equal(info.FrameCount, clip.FrameCount);
        var expected = AudioLevels.Measure(wav.Samples, 1, wav.SampleRate);
        var levels = AudioLevels.Measure(clip.Samples, 1, clip.SampleRate);
        Assert.InRange(levels.PeakDb, expected.PeakDb - 1, expected.PeakDb + 1);
        Assert.InRange(levels.RmsDb, expected.RmsDb - 0.5, expected.RmsDb + 0.5);
        Assert.InRange(levels.LeadingSilenceSeconds, expected.LeadingSilenceSeconds - Frame, expected.LeadingSilenceSeconds + Frame);
        Assert.InRange(levels.TrailingSilenceSeconds, expected.TrailingSilenceSeconds - Frame, expected.TrailingSilenceSeconds + Frame);
        Assert.Equal(0, levels.ClippedRuns);
        // In time with the WAV, not merely as long: the decoders' delays are trimmed.
        Assert.True(Correlation(wav.Samples, clip.Samples) > 0.9, $"{name} is not in step with the WAV it came from");
    }

    [Fact]
    public void Flac_is_lossless_in_any_sample_size_and_channel_layout()
    {
        var wav = AudioFile.Read(_wav);
        var mono = AudioFile.Read(Encode("mono.flac"));
        Assert.Equal(wav.Samples, mono.Samples);

        // Stereo (sox's encoder picks mid/side or left/side per frame) at 24 bits.
        var stereoWav = _dir["stereo.wav"];
        AudioTools.Sox(_wav, "-c", "2", "-b", "24", stereoWav, "remix", "1", "1v0.5");
        var stereoFlac = _dir["stereo.flac"];
        AudioTools.Sox(stereoWav, stereoFlac);
        var expected = AudioFile.Read(stereoWav);
        var (info, clip) = AudioFile.Decode(File.ReadAllBytes(stereoFlac));
        Assert.Equal("FLAC 24-bit", info.Format);
        Assert.Equal(24, info.BitsPerSample);
        Assert.Equal(2, clip.Channels);
        Assert.Equal(expected.Samples, clip.Samples);
    }

    [Fact]
    public void An_mp3_without_lames_tag_keeps_the_encoders_delay_as_other_decoders_do()
    {
        // At 32 kbit/s a 22,050 Hz frame is too small for LAME's Info tag: nothing says how much to trim.
        var path = Encode("untagged.mp3", "-b", "32");
        double wav = AudioFile.Probe(_wav).DurationSeconds;
        double mp3 = AudioFile.Probe(path).DurationSeconds;
        Assert.InRange(mp3, wav + Frame, wav + 0.1);
    }

    [Fact]
    public void A_file_in_no_format_the_kit_reads_or_cut_short_is_an_audio_format_exception()
    {
        var text = _dir["notes.wav"];
        File.WriteAllText(text, "these are notes, not audio");
        var e = Assert.Throws<AudioFormatException>(() => AudioFile.Read(text));
        Assert.Contains("not a WAV, MP3, FLAC or OGG Vorbis file", e.Message);

        var flac = File.ReadAllBytes(Encode("cut.flac"));
        var cut = _dir["cut-short.flac"];
        File.WriteAllBytes(cut, flac[..(flac.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<AudioFormatException>(() => AudioFile.Probe(cut)).Reason);

        Assert.Contains("does not exist", Assert.Throws<AudioFormatException>(() => AudioFile.Read(_dir["none.ogg"])).Reason);
    }

    [Theory]
    [InlineData("damaged.mp3")]
    [InlineData("damaged.flac")]
    [InlineData("damaged.ogg")]
    public void A_damaged_clip_decodes_or_is_an_audio_format_exception_never_a_crash(string name)
    {
        var bytes = File.ReadAllBytes(Encode(name, name.EndsWith(".mp3") ? ["-V", "2"] : []));
        var random = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            var damaged = (byte[])bytes.Clone();
            int from = 64 + random.Next(damaged.Length - 128);
            for (int i = from; i < Math.Min(damaged.Length, from + 64); i++) damaged[i] = (byte)random.Next(256);
            try { AudioFile.Decode(damaged, name); }
            catch (AudioFormatException e) { Assert.False(string.IsNullOrWhiteSpace(e.Reason)); }
        }
    }

    [Fact]
    public void The_format_comes_from_the_bytes_not_the_name()
    {
        var path = Encode("speech.ogg");
        var misnamed = _dir["really-ogg.wav"];
        File.Copy(path, misnamed);
        Assert.Equal(AudioContainer.Ogg, AudioFile.Probe(misnamed).Container);
    }

    [Theory]
    [InlineData("play.mp3", "audio/mpeg")]
    [InlineData("play.flac", "audio/flac")]
    [InlineData("play.ogg", "audio/ogg")]
    public void A_notebook_player_embeds_a_compressed_clip_as_it_is(string name, string mime)
    {
        var path = Encode(name, name.EndsWith(".mp3") ? ["-V", "2"] : []);
        var player = AudioPlayer.FromFile(path);
        Assert.Equal(File.ReadAllBytes(path), player.WavBytes);
        Assert.Equal(AudioFile.Probe(_wav).DurationSeconds, player.DurationSeconds, 2);
        Assert.Contains($"src=\"data:{mime};base64,", player.Render().Single(r => r.MimeType == Rendering.Html).Content);
    }

    private static double Correlation(float[] a, float[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < n; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.Sqrt(aa * bb);
    }
}
