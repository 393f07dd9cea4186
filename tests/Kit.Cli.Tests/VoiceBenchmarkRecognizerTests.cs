using Kit.Cli.Commands.Bench;
using Kit.Data.Audio;
using Kit.Data.Samples;
using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>The word error rate is a figure to compare runs by: the same WAV must reach the recognizer as the same 16 kHz bytes.</summary>
public sealed class VoiceBenchmarkRecognizerTests
{
    [Fact]
    public async Task The_recognizer_s_16_khz_copy_of_a_clip_is_the_same_every_time()
    {
        using var dir = new TempDir();
        var wav = AudioTools.Speak(dir["a.wav"], "The birch canoe slid on the smooth planks.");
        var sox = ExternalTool.Find("sox") ?? throw new InvalidOperationException("sox is not installed (setup.sh installs it)");
        await VoiceBenchmarkRecognizer.SixteenKilohertzAsync(sox, wav, dir["first.wav"], CancellationToken.None);
        await VoiceBenchmarkRecognizer.SixteenKilohertzAsync(sox, wav, dir["second.wav"], CancellationToken.None);
        var probe = WavReader.Probe(dir["first.wav"]);
        Assert.Equal((16000, 1), (probe.SampleRate, probe.Channels));
        Assert.Equal(File.ReadAllBytes(dir["first.wav"]), File.ReadAllBytes(dir["second.wav"]));
    }
}
