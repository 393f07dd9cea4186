using Kit.Training.Parameters;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Kit.Data.Audio;
using Kit.Display;
using Kit.Display.Imaging;
using Kit.Training.Checkpoints;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;
using Microsoft.DotNet.Interactive.Formatting;
using SkiaSharp;

namespace Kit.Training.Tests.Loop;

public class TrainingViewTests
{
    [Fact]
    public async Task The_view_embeds_the_latest_validations_audio_and_images_and_names_what_is_too_big()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 1000, valFreq: 10);
        var run = Trainer.Start(config, new SampleRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 30 });
        await HangGuard.Await(run.Completion, "the run's end");

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
        var run = Trainer.Start(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 10 });
        var wavBytes = recipe.Samples(10)[0].Content.Length;
        run.Display.MaxEmbeddedSampleBytes = wavBytes - 1;
        recipe.Gate.Set();
        await HangGuard.Await(run.Completion, "the run's end");

        var html = run.Display.Render()[0].Content;
        var wavPath = Path.Combine(dir.Path, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(10)}-clip.wav");
        Assert.Equal(wavBytes, new FileInfo(wavPath).Length);
        Assert.DoesNotContain("<audio", html);
        Assert.Contains($"<code>{wavPath}</code>", html);
        Assert.Single(Regex.Matches(html, "<img [^>]*src=\"data:image/png;base64,"));
    }

    /// <summary>The goal for one redraw of the view (status and loss curves), whatever the samples weigh.</summary>
    private const int MaxRedrawBytes = 100_000;

    [Fact]
    public async Task Shown_with_the_kernels_display_a_redraw_stays_small_and_the_samples_redraw_in_their_own_output_once_per_validation()
    {
        var events = new List<DisplayedValue>();
        Action<DisplayedValue> listen = e => { lock (events) events.Add(e); };
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 1000, valFreq: 10);
        var recipe = new SampleRecipe { Gate = new ManualResetEventSlim() };
        var run = Trainer.Start(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 30 });
        using (KernelDisplays.Listen(listen))
        {
            run.Display.MinInterval = TimeSpan.Zero; // every change redraws: the most a run can send
            // All of each validation's samples embedded, the 5 MB clip too: megabytes that must never ride with a redraw.
            run.Display.MaxEmbeddedSampleBytes = 8L << 20;
            // What a notebook cell does: run.Display.Bind(display(run.Display)), with the kernel's own display(...).
            run.Display.Bind(DisplayExtensions.Display(run.Display));
            recipe.Gate.Set();
            await HangGuard.Await(run.Completion, "the run's end");
            run.Display.Complete();
        }

        static int Bytes(DisplayedValue e) => e.FormattedValues.Sum(f => f.Value.Length);
        static string Html(DisplayedValue e) => e.FormattedValues.Single(f => f.MimeType == Rendering.Html).Value;
        List<DisplayedValue> Of(object value) { lock (events) return events.Where(e => ReferenceEquals(e.Value, value)).ToList(); }
        var view = Of(run.Display);
        var samples = Of(run.Display.Samples);

        var redraws = view.Where(e => e.IsUpdated).ToList();
        Assert.True(redraws.Count >= 20, $"{redraws.Count} redraws of the view");
        var largest = redraws.MaxBy(Bytes)!;
        Assert.True(Bytes(largest) < MaxRedrawBytes, $"a redraw of the view is {Bytes(largest):N0} bytes (goal: under {MaxRedrawBytes:N0}):\n{Html(largest)[..Math.Min(2000, Html(largest).Length)]}");
        Assert.DoesNotContain(redraws, e => Html(e).Contains("<audio", StringComparison.Ordinal) || Html(e).Contains("data:image/png", StringComparison.Ordinal));
        Assert.Contains("Finished: step 30", Html(view[^1]));

        // The samples' own output: shown (empty) at Bind, then redrawn once per validation (steps 10, 20, 30) with
        // the newest set, and once more by each Complete() (the run's end, the cell's): never with the view's redraws.
        Assert.False(samples[0].IsUpdated);
        Assert.DoesNotContain("<audio", Html(samples[0]));
        Assert.Equal(3 + 2, samples.Count(e => e.IsUpdated));
        var wav = File.ReadAllBytes(Path.Combine(dir.Path, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(30)}-clip.wav"));
        Assert.Contains(Convert.ToBase64String(wav), Html(samples[^1]));
        Assert.Contains("step 30: alignment.png", Html(samples[^1]));
        Assert.Contains("step 30: long.wav", Html(samples[^1]));
        Assert.True(Bytes(samples[^1]) > 5_000_000, $"the samples' output is {Bytes(samples[^1]):N0} bytes: the long clip is not embedded");
        Assert.True(Bytes(samples[^1]) < run.Display.MaxEmbeddedSampleBytes * 4 / 3 + MaxRedrawBytes, $"the samples' output is {Bytes(samples[^1]):N0} bytes");
    }

    [Fact]
    public async Task The_finished_runs_speed_is_its_steps_over_the_wall_time_it_took()
    {
        using var dir = new TempDir();
        var config = TrainerFixture.Config(dir.Path, saveFreq: 1000, valFreq: 5);
        // Steps of microseconds, validations of 50 ms: the run cannot have gone faster than 20 steps in 4 × 50 ms.
        var recipe = new SampleRecipe { LongClip = false, ValidationDelay = TimeSpan.FromMilliseconds(50) };
        var clock = Stopwatch.StartNew();
        var run = Trainer.Start(config, recipe, options: TrainerOptions.FromConfig(config) with { MaxSteps = 20 });
        await HangGuard.Await(run.Completion, "the run's end");
        var wall = clock.Elapsed.TotalSeconds;

        var status = run.Status;
        Assert.Equal(TrainingState.Finished, status.State);
        Assert.InRange(status.StepsPerSecond, 20 / wall, 20 / 0.2);
        // Batches of 8, but an epoch's last batch is short: the fixture's 36 training clips make 5 steps (8, 8, 8, 8, 4),
        // so 20 steps carry 4 epochs, 144 clips, and samples per second are 7.2 times the steps' rate.
        Assert.InRange(status.SamplesPerSecond, 144 / wall, 144 / 0.2);
        Assert.Equal(7.2, status.SamplesPerSecond / status.StepsPerSecond, 3);
        Assert.Contains(status.StepsPerSecond.ToString("0.00 steps/s", System.Globalization.CultureInfo.InvariantCulture), run.Display.ToString());
    }

    /// <summary>The tiny recipe, plus samples at each validation that differ by step: a short WAV, a long one and a PNG.</summary>
    private sealed class SampleRecipe : IRecipe
    {
        public bool LongClip { get; init; } = true;
        /// <summary>When set, validation waits for it: the test changes the view's settings before the first samples.</summary>
        public ManualResetEventSlim? Gate { get; init; }
        /// <summary>How long each validation takes (a real model's validation takes a while).</summary>
        public TimeSpan ValidationDelay { get; init; }
        public string Name => "tiny-duration-with-samples";
        public RecipeDefaults Defaults => TinyDurationRecipe.TrainingDefaults;
        public ITrainable Create(RecipeContext context) => new WithSamples(new TinyDurationRecipe().Create(context), this);

        public IReadOnlyList<TrainingSample> Samples(long step)
        {
            var samples = new List<TrainingSample> { new("clip.wav", Tone(8000 + (int)step * 10)) };
            // 5 MB, over the view's default 2 MiB: listed by path; the image after it still fits.
            if (LongClip) samples.Add(new("long.wav", Tone(2_600_000)));
            using var image = new SKBitmap(20 + (int)step, 10);
            image.Erase(new SKColor((byte)step, 80, 160, 255));
            samples.Add(new("alignment.png", Png.Encode(image)));
            return samples;
        }

        private static byte[] Tone(int length) =>
            WavWriter.ToBytes(new AudioClip(Enumerable.Range(0, length).Select(i => (float)(0.3 * Math.Sin(i * 0.05))).ToArray(), 16000));
    }

    private sealed class WithSamples(ITrainable inner, SampleRecipe recipe) : WrappedTrainable(inner)
    {
        public override IReadOnlyDictionary<string, double> Validate(int batchSize)
        {
            Thread.Sleep(recipe.ValidationDelay);
            return base.Validate(batchSize);
        }

        public override IReadOnlyList<TrainingSample> Samples(long step)
        {
            if (recipe.Gate is { } gate && !gate.Wait(HangGuard.Limit)) throw new TimeoutException("the test never opened the gate");
            return recipe.Samples(step);
        }
    }
}
