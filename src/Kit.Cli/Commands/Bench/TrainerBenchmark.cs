using System.CommandLine;
using Kit.Data.Samples;
using Kit.Training.Config;
using Kit.Training.Recipes;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;

namespace Kit.Cli.Commands.Bench;

/// <summary>
/// `kit bench trainer`: the trainer's own overhead (data order, metrics, bookkeeping) as a share of step time,
/// training a small network on the tensor engine on the sample dataset. Goal: under 5%.
/// </summary>
public sealed class TrainerBenchmark : IKitBenchmark
{
    public Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Training steps to time", DefaultValueFactory = _ => 400 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units of the benchmark network (bigger: slower steps)", DefaultValueFactory = _ => 512 };
        var batch = new Option<int>("--batch") { Description = "Train batch size", DefaultValueFactory = _ => 16 };
        var managed = new Option<bool>("--managed") { Description = "Time the managed tiny recipe instead (microsecond steps: shows the overhead in absolute terms)" };
        var command = new Command("trainer", "Trainer overhead (data loading + bookkeeping) as a share of step time on the sample dataset") { steps, hidden, batch, managed };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            int n = pr.GetValue(steps), bs = pr.GetValue(batch);
            var dataset = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "bench", "trainer-sample-40"));
            await SampleDataset.CreateAsync(dataset, 40, cancel: ct);
            var runDir = Path.Combine(Path.GetTempPath(), $"kit-bench-trainer-{Guid.NewGuid():N}");
            IRecipe recipe = pr.GetValue(managed) ? new TinyDurationRecipe() : new TinyDurationTorchRecipe { Hidden = pr.GetValue(hidden) };
            var config = DemoRun.Config(dataset, runDir, recipe.Name, n, learningRate: 1e-3, batch: bs, validateEvery: Math.Max(1, n / 4),
                saveEvery: Math.Max(1, n / 4), printEvery: 20, name: "bench", decaySteps: [n, 2 * n, 3 * n, 4 * n]);
            try
            {
                var result = Trainer.Run(config, recipe, cancel: ct);
                var t = result.Timings;
                var perStep = t.StepSeconds / Math.Max(1, t.Steps);
                var overhead = (t.StepSeconds - t.ModelSeconds) / Math.Max(1, t.Steps);
                foreach (var line in Kit.TorchExtras.TorchEngine.Lines) Console.WriteLine(line);
                Console.WriteLine($"recipe: {recipe.Name}, batch {bs}, {t.Steps} steps on {Environment.ProcessorCount} cores (sample dataset, 36 train clips)");
                Console.WriteLine($"step time:        {perStep * 1e3:0.000} ms  (model forward/backward/update {t.ModelSeconds / Math.Max(1, t.Steps) * 1e3:0.000} ms)");
                Console.WriteLine($"trainer overhead: {overhead * 1e6:0.0} µs per step = {t.OverheadShare:P2} of step time  (goal: under 5%)");
                Console.WriteLine($"validation:       {t.ValidationSeconds:0.000} s in all; checkpoint saves: {t.SaveSeconds:0.000} s in all (5 saves incl. the final one)");
            }
            finally
            {
                try { Directory.Delete(runDir, recursive: true); } catch (IOException) { }
            }
            return 0;
        });
        return command;
    }
}
