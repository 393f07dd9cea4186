using Kit.Data.Audio;
using Kit.TestSupport;

namespace Kit.Cli.Tests;

/// <summary>Text to speech from the command line, as the main job runs it: both tiny models trained briefly, then `kit speak` with both.</summary>
public sealed class SpeechCliTests : IDisposable
{
    private readonly TempDir _dir = new("kit-cli-speech");

    public void Dispose() => _dir.Dispose();

    private static string Ok((int Code, string Stdout, string Stderr) r)
    {
        Assert.True(r.Code == 0, r.Stdout + r.Stderr);
        return r.Stdout;
    }

    [Fact]
    public void Speak_with_a_signal_model_trained_on_a_spectrogram_checkpoint_writes_a_wav_of_plausible_length()
    {
        var data = _dir["dataset"];
        Ok(KitCli.Run("sample-dataset", data, "--clips", "4"));
        foreach (var recipe in new[] { "spectrogram-tiny", "signal-tiny" })
            Ok(KitCli.Run("params", data, "--recipe", recipe, "--set", "TrainBS=2", "--set", "ValBS=2", "--out", _dir[recipe]));
        Ok(KitCli.Run("train", _dir["spectrogram-tiny/run.yml"], "--output", _dir["spectrogram"], "--max-steps", "2"));

        var missing = _dir["no-such-run"];
        var (code, _, err) = KitCli.Run("train", _dir["signal-tiny/run.yml"], "--output", _dir["signal"], "--max-steps", "2", "--spectrogram-model-checkpoint", missing);
        Assert.Equal(2, code);
        Assert.Contains(missing, err);

        Ok(KitCli.Run("train", _dir["signal-tiny/run.yml"], "--output", _dir["signal"], "--max-steps", "2", "--spectrogram-model-checkpoint", _dir["spectrogram"]));
        var wav = _dir["out/speech.wav"];
        var stdout = Ok(KitCli.Run("speak", "--spectrogram-model", _dir["spectrogram"], "--signal-model", _dir["signal"], "Hello from the kit.", "-o", wav));
        Assert.Contains("signal model: WaveRNN", stdout);
        var info = WavReader.Probe(wav);
        Assert.Equal(22050, info.SampleRate);
        // Between one decoder step (4 frames of 256 samples) and the cap of 15 frames per input symbol.
        Assert.InRange(info.DurationSeconds, 4 * 256 / 22050.0, "Hello from the kit.".Length * 2 * 15 * 256 / 22050.0);
        Assert.Equal(0, WavReader.Read(wav).Samples.Length % 256);
    }
}
