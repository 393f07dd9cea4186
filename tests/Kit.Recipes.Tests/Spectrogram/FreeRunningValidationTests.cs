using System.Text.Json;
using Kit.Models.Spectrogram;
using Kit.Recipes.Spectrogram;
using Kit.Training.Checkpoints;
using Kit.Training.Loop;
using Kit.Training.Metrics;
using Kit.TestSupport;
using Xunit.Abstractions;

namespace Kit.Recipes.Tests.Spectrogram;

public class FreeRunningValidationTests(ITestOutputHelper output)
{
    [Fact]
    public void Each_validation_measures_free_running_speech_and_best_json_follows_its_mcd()
    {
        using var dir = new TempDir();
        var data = ModelFixture.Handful(dir["data"]);
        var run = dir["run"];
        var config = ModelFixture.Config(data, run, TinySpectrogramRecipe.RecipeName, valFreq: 10, saveFreq: 10);
        var log = new List<string>();
        var result = Trainer.Run(config, new TinySpectrogramRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 30 }, log: log.Add);
        output.WriteLine($"validation (teacher-forced and free-running, 2 lines): {result.Timings!.ValidationSeconds:F1} s for 3 validations");

        var validations = MetricsLog.Read(Path.Combine(run, MetricsLog.FileName)).Where(r => r.Kind == "validation").ToList();
        Assert.Equal([10L, 20L, 30L], validations.Select(v => v.Step));
        foreach (var v in validations)
        {
            foreach (var name in FreeRunningMetrics.All)
                Assert.True(v.Values.TryGetValue("dev_free/" + name, out var value) && double.IsFinite(value), $"step {v.Step}: no finite dev_free/{name}");
            output.WriteLine($"step {v.Step}: " + string.Join(", ", v.Values.Where(kv => kv.Key.StartsWith("dev_free/")).Select(kv => $"{kv.Key} {kv.Value:0.###}")));
            Assert.InRange(v.Values["dev_free/mcd_db"], 0.01, 100);
            foreach (var share in new[] { "band_mass", "monotonic", "skipped_tokens", "stop_fired" })
                Assert.InRange(v.Values["dev_free/" + share], 0, 1);
            Assert.True(v.Values["dev_free/length_ratio"] > 0);
            Assert.True(v.Values["dev_free/max_jump"] >= 0);
        }
        Assert.Contains(log, l => l.StartsWith("validation at step 10: ") && l.Contains("dev_free/mcd_db") && l.Contains("dev_epoch/loss"));

        // Each line's MCD weighted by its length mismatch, so never below the plain MCD's mean.
        foreach (var v in validations) Assert.True(v.Values["dev_free/mcd_sl_db"] >= v.Values["dev_free/mcd_db"] - 1e-9, $"step {v.Step}");

        // best.json names the metric and holds the step whose length-weighted free-running MCD was lowest.
        var mcd = validations.ToDictionary(v => v.Step, v => v.Values["dev_free/mcd_sl_db"]);
        using var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "checkpoints", "best.json")));
        Assert.Equal("dev_free/mcd_sl_db", best.RootElement.GetProperty("metric").GetString());
        Assert.Equal(mcd.MinBy(kv => kv.Value).Key, best.RootElement.GetProperty("step").GetInt64());
        Assert.Equal(mcd.Values.Min(), best.RootElement.GetProperty("value").GetDouble());
        Assert.Equal(mcd.MinBy(kv => kv.Value).Key, new CheckpointStore(run).FindBestOrNewestReadable()!.Step);

        // The samples hold the free-running speech of the first validation line beside the teacher-forced one.
        foreach (var step in new[] { 10, 20, 30 })
            foreach (var name in new[] { SpectrogramSamples.Audio, SpectrogramSamples.Alignment, SpectrogramSamples.FreeAudio, SpectrogramSamples.FreeAlignment })
                Assert.True(new FileInfo(Path.Combine(run, "samples", $"{CheckpointFiles.StepFolderName(step)}-{name}")).Length > 1000, $"step {step}: {name}");
    }
}
