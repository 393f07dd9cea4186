using System.Text.RegularExpressions;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Display.Imaging;
using Kit.Training.Checkpoints;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Trainer;
using Kit.TestSupport;
using KitTrainer = Kit.Training.Trainer.Trainer;

namespace Kit.Training.Tests.Trainer;

public class TrainingViewTests
{
    [Fact]
    public async Task The_view_embeds_the_latest_validations_audio_and_images_and_names_what_is_too_big()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 1000, valFreq: 10);
        var run = KitTrainer.Start(config, new SampleRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 30 });
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(120));

        var renderings = run.Display.Render();
        var html = renderings.Single(r => r.MimeType == Rendering.Html).Content;
        var text = renderings.Single(r => r.MimeType == Rendering.Text).Content;
        string PathOf(long step, string name) => Path.Combine(dir.Path, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(step)}-{name}");

        var wav = File.ReadAllBytes(PathOf(30, "clip.wav"));
        var png = File.ReadAllBytes(PathOf(30, "alignment.png"));
        Assert.Contains($"<audio controls preload=\"none\" src=\"data:audio/wav;base64,{Convert.ToBase64String(wav)}\"", html);
        Assert.Matches($"<img [^>]*src=\"data:image/png;base64,{Regex.Escape(Convert.ToBase64String(png))}\"", html);
        Assert.Contains("step 30: clip.wav", html);
        Assert.Contains("step 30: alignment.png", html);

        // Earlier validations' samples are on disk but gone from the view.
        Assert.True(File.Exists(PathOf(20, "clip.wav")));
        Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(PathOf(20, "clip.wav"))), html);
        Assert.DoesNotContain(Convert.ToBase64String(File.ReadAllBytes(PathOf(20, "alignment.png"))), html);
        Assert.DoesNotContain("step 20:", html);
        var samplesHtml = html[html.IndexOf("<div class=\"kit-samples\">", StringComparison.Ordinal)..];
        Assert.Single(Regex.Matches(samplesHtml, "<audio "));
        Assert.Single(Regex.Matches(samplesHtml, "<img "));

        // The long clip is over the view's budget: named by its path, not embedded.
        Assert.Contains($"<code>{PathOf(30, "long.wav")}</code>", html);
        Assert.True(samplesHtml.Length < 1 << 20, $"the samples' HTML is {samplesHtml.Length:N0} characters");

        foreach (var name in new[] { "clip.wav", "long.wav", "alignment.png" })
        {
            Assert.Contains(PathOf(30, name), text);
            Assert.DoesNotContain(PathOf(20, name), text);
        }
        Assert.Contains("not embedded", text);
        Assert.Contains("samples at validation step 30", run.Display.ToString());
    }

    [Fact]
    public async Task A_smaller_budget_names_the_sample_that_does_not_fit_and_embeds_the_next_that_does()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 1000, valFreq: 10);
        var recipe = new SampleRecipe { LongClip = false, Gate = new ManualResetEventSlim() };
        var run = KitTrainer.Start(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 });
        var wavBytes = recipe.Samples(10)[0].Content.Length;
        run.Display.MaxEmbeddedSampleBytes = wavBytes - 1;
        recipe.Gate.Set();
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(120));

        var html = run.Display.Render()[0].Content;
        var wavPath = Path.Combine(dir.Path, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(10)}-clip.wav");
        Assert.Equal(wavBytes, new FileInfo(wavPath).Length);
        Assert.DoesNotContain("<audio", html);
        Assert.Contains($"<code>{wavPath}</code>", html);
        Assert.Single(Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,"));
    }

    /// <summary>The tiny recipe, plus samples at each validation that differ by step: a short WAV, a long one and a PNG.</summary>
    private sealed class SampleRecipe : IRecipe
    {
        public bool LongClip { get; init; } = true;
        /// <summary>When set, validation waits for it: the test changes the view's settings before the first samples.</summary>
        public ManualResetEventSlim? Gate { get; init; }
        public string Name => "tiny-duration-with-samples";
        public ITrainable Create(RecipeContext context) => new WithSamples(new TinyDurationRecipe().Create(context), this);

        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            var samples = new List<TrainingSample> { new("clip.wav", Tone(8000 + (int)step * 10)) };
            // 5 MB, over the view's default 4 MiB: listed by path; the image after it still fits.
            if (LongClip) samples.Add(new("long.wav", Tone(2_600_000)));
            samples.Add(new("alignment.png", PngEncoder.Encode(new RgbaImage(20 + (int)step, 10, new Color((byte)step, 80, 160, 255)))));
            return samples;
        }

        private static byte[] Tone(int length) =>
            WavWriter.ToBytes(new AudioClip(Enumerable.Range(0, length).Select(i => (float)(0.3 * Math.Sin(i * 0.05))).ToArray(), 16000));
    }

    private sealed class WithSamples(ITrainable inner, SampleRecipe recipe) : ITrainable
    {
        public IReadOnlyList<double> TrainLengths => inner.TrainLengths;
        public IReadOnlyDictionary<string, double> ForwardBackward(IReadOnlyList<int> clips, double weight) => inner.ForwardBackward(clips, weight);
        public void ApplyUpdate(double learningRate, double? maxGradNorm) => inner.ApplyUpdate(learningRate, maxGradNorm);
        public void DiscardGradients() => inner.DiscardGradients();
        public IReadOnlyDictionary<string, double> Validate(int batchSize) => inner.Validate(batchSize);
        public void Save(CheckpointWriter writer) => inner.Save(writer);
        public void Load(LoadedCheckpoint checkpoint) => inner.Load(checkpoint);
        public long EstimatedCheckpointBytes => inner.EstimatedCheckpointBytes;
        public void Dispose() => inner.Dispose();

        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            if (recipe.Gate is { } gate && !gate.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the test never opened the gate");
            return recipe.Samples(step);
        }
    }
}
