using Kit.Training.Checkpoints;
using Kit.Data.Audio;
using Kit.Models.Signal;
using Kit.Recipes.Signal;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Models.Synthesis;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Recipes.Tests.Signal;

public class TeacherForcedSignalTests
{
    [Fact]
    public void Trains_on_a_spectrogram_checkpoints_frames_and_speaks_with_both_models()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"], clips: 2);
        var spectrogramRun = dir["spectrogram"];
        var spectrogramConfig = ModelFixture.Config(data, spectrogramRun, TinySpectrogramRecipe.RecipeName, batch: 2);
        Trainer.Run(spectrogramConfig, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(spectrogramConfig) with { MaxSteps = 2 });

        var signalRun = dir["signal"];
        var config = ModelFixture.Config(data, signalRun, TinySignalRecipe.RecipeName, batch: 2) with { SpectrogramModelCheckpoint = spectrogramRun };
        var options = TrainerOptions.FromConfig(config) with { MaxSteps = 2 };
        Trainer.Run(config, new TinySignalRecipe(), options: options);
        // One cached prediction per clip, under a folder named by the checkpoint's weights.
        var cached = Directory.GetFiles(Path.Combine(signalRun, "cache", "teacher-forced"), "*.safetensors", SearchOption.AllDirectories);
        Assert.Equal(2, cached.Length);
        var written = cached.Select(File.GetLastWriteTimeUtc).ToArray();
        Trainer.Run(Trainer.ReadRunConfig(signalRun), new TinySignalRecipe(), runDirectory: signalRun, options: options with { MaxSteps = 3 }, resume: true);
        Assert.Equal(written, cached.Select(File.GetLastWriteTimeUtc));
        Assert.Equal(spectrogramRun, Trainer.ReadRunConfig(signalRun).SpectrogramModelCheckpoint);

        using var synthesizer = Synthesizer.Load(CheckpointPaths.Weights(spectrogramRun), CheckpointPaths.Weights(signalRun));
        Assert.Equal("WaveRNN", synthesizer.SignalModelName);
        string[] lines = ["A short line.", "Another line to speak."];
        var spoken = synthesizer.Speak(lines, batchSize: 2);
        var mel = synthesizer.Spectrogram.Mel;
        for (var i = 0; i < lines.Length; i++)
        {
            // WaveRNN makes exactly one hop of samples per predicted frame.
            Assert.Equal(spoken[i].Frames * mel.HopLength, spoken[i].Audio.Samples.Length);
            var path = dir[$"line{i}.wav"];
            WavWriter.Write(path, spoken[i].Audio, WavFormat.Pcm16);
            var info = WavReader.Probe(path);
            Assert.Equal(mel.SampleRate, info.SampleRate);
            var samples = WavReader.Read(path).Samples;
            Assert.True(samples.All(s => float.IsFinite(s) && Math.Abs(s) <= 1) && samples.Any(s => s != 0), "the audio is silent or out of range");
        }
    }

    [Fact]
    public void A_missing_or_wrong_spectrogram_checkpoint_is_named_in_the_error()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"], clips: 2);
        var missing = dir["no-such-run"];
        var config = ModelFixture.Config(data, dir["signal"], TinySignalRecipe.RecipeName, batch: 2) with { SpectrogramModelCheckpoint = missing };
        var error = Assert.Throws<FileNotFoundException>(() => Trainer.Run(config, new TinySignalRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 1 }));
        Assert.Contains(missing, error.Message);

        // A signal model's checkpoint is not a spectrogram model's.
        Trainer.Run(config with { SpectrogramModelCheckpoint = null }, new TinySignalRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 1 });
        var wrong = config with { OutputFolder = dir["signal2"], SpectrogramModelCheckpoint = dir["signal"] };
        var notSpectrogram = Assert.Throws<InvalidDataException>(() => Trainer.Run(wrong, new TinySignalRecipe(), options: TrainerOptions.FromConfig(wrong) with { MaxSteps = 1 }));
        Assert.Contains("not a spectrogram model", notSpectrogram.Message);
        Assert.Contains(dir["signal"], notSpectrogram.Message);
    }
}
