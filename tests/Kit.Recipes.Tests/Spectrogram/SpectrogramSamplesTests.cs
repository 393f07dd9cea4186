using System.Buffers.Binary;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Training.Checkpoints;
using Kit.Training.Loop;
using Kit.TestSupport;
using SkiaSharp;

namespace Kit.Recipes.Tests.Spectrogram;

public class SpectrogramSamplesTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Validation_writes_alignment_and_spectrogram_pngs_and_griffin_lim_audio_that_the_view_embeds()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"], clips: 2);
        var config = ModelFixture.Config(data, dir["run"], TinySpectrogramRecipe.RecipeName, batch: 2, valFreq: 2);
        var recipe = new TinySpectrogramRecipe();
        var run = Trainer.Start(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 2 });
        await HangGuard.Await(run.Completion, "the run's end");

        string PathOf(string name) => Path.Combine(dir["run"], CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(2)}-{name}");
        foreach (var name in new[] { SpectrogramSamples.Alignment, SpectrogramSamples.Spectrograms })
        {
            var png = File.ReadAllBytes(PathOf(name));
            Assert.Equal(PngSignature, png[..8]);
            Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
            Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
            Assert.Equal(400, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            using var image = SKBitmap.Decode(png);
            var colours = image.Pixels.ToHashSet();
            Assert.True(colours.Count > 50, $"{name} has only {colours.Count} colours: no heatmap drawn");
        }

        // The first validation clip's length: target frames at the recipe's hop, less the last hop (no padding at the ends).
        var clip = File.ReadAllLines(Path.Combine(data, "val.txt"))[0].Split('|')[0];
        var wav = WavReader.Read(PathOf(SpectrogramSamples.Audio));
        Assert.Equal(recipe.Mel.SampleRate, wav.SampleRate);
        Assert.InRange(wav.DurationSeconds, WavReader.Probe(clip).DurationSeconds - 0.1, WavReader.Probe(clip).DurationSeconds + 0.1);
        Assert.True(wav.Samples.All(float.IsFinite) && wav.Samples.Any(s => s != 0), "the Griffin-Lim audio is silent or not finite");

        var html = run.Display.Render().Single(r => r.MimeType == Rendering.Html).Content;
        Assert.Contains($"data:audio/wav;base64,{Convert.ToBase64String(File.ReadAllBytes(PathOf(SpectrogramSamples.Audio)))}", html);
        Assert.Contains($"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(PathOf(SpectrogramSamples.Spectrograms)))}", html);
    }
}
