using Kit.Data.Audio;
using Kit.Models.Signal;
using Kit.Recipes.Signal;
using Kit.Training.Checkpoints;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Recipes.Tests.Signal;

public class SignalModelTests
{
    [Fact]
    public void Tiny_model_overfits_a_handful_of_clips_and_resumes_at_the_same_step()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"]);
        var run = dir["run"];
        var config = ModelFixture.Config(data, run, TinySignalRecipe.RecipeName, lr: 3e-3, valFreq: 60, saveFreq: 10);
        var options = TrainerOptions.FromConfig(config) with { MaxSteps = 10 };
        Assert.Equal(10, Trainer.Run(config, new TinySignalRecipe(), options: options).LastCheckpointStep);
        var log = new List<string>();
        var result = Trainer.Run(Trainer.ReadRunConfig(run), new TinySignalRecipe(), runDirectory: run, options: options with { MaxSteps = 60 }, resume: true, log: log.Add);
        Assert.Equal(60, result.Step);
        // The resumed run picked up at step 11: every step logged once, in order.
        var steps = Kit.Training.Metrics.MetricsLog.Read(Path.Combine(run, Kit.Training.Metrics.MetricsLog.FileName))
            .Where(r => r.Kind == "train").Select(r => r.Step).ToArray();
        Assert.Equal(steps.Order().Distinct(), steps);
        Assert.Contains(11L, steps);
        // Slices are random, so the end is the mean of the last ten steps; the fine byte of loud audio stays
        // close to chance (ln 256) in a test's time, so it is held to a smaller fall than the coarse byte.
        foreach (var (name, fraction) in new[] { ("coarse_loss", 0.7), ("fine_loss", 0.88) })
        {
            var losses = ModelFixture.Column(run, "train", "train/" + name);
            var end = losses[^10..].Average();
            Assert.True(end < losses[0] * fraction, $"{name} went {losses[0]:F2} → {end:F2} (mean of the last ten)");
        }
        // The trainer logs samples it could not make and goes on: none failed here. The validation at the last step
        // spoke the first validation clip's opening (at most 2 s) beside the real audio.
        Assert.DoesNotContain(log, l => l.StartsWith("Could not make the samples"));
        var spoken = Directory.GetFiles(Path.Combine(run, "samples"), "*wavernn.wav", SearchOption.AllDirectories);
        var real = Directory.GetFiles(Path.Combine(run, "samples"), "*real.wav", SearchOption.AllDirectories);
        Assert.Single(spoken);
        Assert.Single(real);
        var info = WavReader.Probe(spoken[0]);
        Assert.Equal(22050, info.SampleRate);
        Assert.Equal(WavReader.Probe(real[0]).DurationSeconds, info.DurationSeconds, 3);
        Assert.InRange(info.DurationSeconds, 0.1, 2.0);
        Assert.Contains(WavReader.Read(spoken[0]).Samples, s => s != 0);
        // That audio measured against the real clip: the free-running MCD the best checkpoint follows.
        Assert.DoesNotContain(log, l => l.StartsWith("Could not measure free-running speech"));
        var mcd = Assert.Single(ModelFixture.Column(run, "validation", "dev_free/mcd_db"));
        Assert.InRange(mcd, 0.01, 100);
        Assert.Equal((60L, "dev_free/mcd_db"), (new CheckpointStore(run).Best!.Step, new CheckpointStore(run).Best!.MetricName));
    }
}
