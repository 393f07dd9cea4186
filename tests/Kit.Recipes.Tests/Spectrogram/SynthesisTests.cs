using Kit.Training.Checkpoints;
using Kit.Data.Audio;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Models.Synthesis;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Recipes.Tests.Spectrogram;

public class SynthesisTests
{
    [Fact]
    public void Speaks_a_batch_of_lines_to_valid_wavs_of_plausible_length()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"], clips: 2);
        var config = ModelFixture.Config(data, dir["run"], TinySpectrogramRecipe.RecipeName, batch: 2);
        Trainer.Run(config, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 });

        using var synthesizer = Synthesizer.Load(CheckpointPaths.Weights(dir["run"]));
        string[] lines = ["A short line.", "Dr. Smith paid $3.50 for 2 apples on the 21st of May."];
        var spoken = synthesizer.Speak(lines, batchSize: 2);
        Assert.Equal(lines, spoken.Select(s => s.Text));
        var mel = synthesizer.Spectrogram.Mel;
        for (var i = 0; i < lines.Length; i++)
        {
            var path = dir[$"line{i}.wav"];
            WavWriter.Write(path, spoken[i].Audio, WavFormat.Pcm16);
            var info = WavReader.Probe(path);
            Assert.Equal(mel.SampleRate, info.SampleRate);
            Assert.Equal(1, info.Channels);
            // Between one decoder step and the cap of 15 frames per input symbol (with its end token).
            var symbols = synthesizer.Spectrogram.FrontEnd.Encode(lines[i]).Length;
            var maxSeconds = (double)symbols * 15 * mel.HopLength / mel.SampleRate;
            Assert.InRange(info.DurationSeconds, (double)SpectrogramModelSize.Tiny.FramesPerStep * mel.HopLength / mel.SampleRate * 0.5, maxSeconds);
            var samples = WavReader.Read(path).Samples;
            Assert.True(samples.All(float.IsFinite) && samples.Any(s => s != 0), "the audio is silent or not finite");
        }
        Assert.Equal(spoken[1].Frames, spoken[1].Alignment.GetLength(0) * SpectrogramModelSize.Tiny.FramesPerStep);
    }
}
