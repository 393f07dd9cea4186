using System.CommandLine;
using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.Recipes.Tortoise;
using Kit.Training.Config;
using Kit.Training.Recipes;
using Kit.Training.Parameters;
using Kit.Training.Loop;
using Kit.Training.Loop.Stopping;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit finetune --base-model autoregressive.pth --dvae dvae.pth --tokenizer tokenizer.json DATASET`:
/// the Colab guide's fine-tune of TorToiSe's GPT in one command. Checks the dataset, calculates the
/// parameters (DLAS profile), caches DVAE codes, trains, and leaves checkpoints whose model.pth
/// tortoise-tts-fast loads with --ar-checkpoint. `--size tiny` trains a small random model (CI, trying it out).
/// </summary>
public sealed class FinetuneCommand : IKitCommand
{
    public Command Create()
    {
        var dataset = new Argument<string>("dataset") { Description = "An LJSpeech-style folder (metadata.csv or train.txt/val.txt) or a train list" };
        var baseModel = new Option<FileInfo?>("--base-model") { Description = "TorToiSe's autoregressive.pth (the GPT to fine-tune)" };
        var dvae = new Option<FileInfo?>("--dvae") { Description = "TorToiSe's dvae.pth (turns mels into the codes the GPT predicts)" };
        var tokenizer = new Option<FileInfo?>("--tokenizer") { Description = "TorToiSe's tokenizer.json (tortoise/data/tokenizer.json)" };
        var melNorms = new Option<FileInfo?>("--mel-norms") { Description = "TorToiSe's mel_norms.pth (tortoise/data/mel_norms.pth): per-band norms the mels are divided by, as TorToiSe does" };
        var size = new Option<string>("--size") { Description = "full (TorToiSe's model) or tiny (random weights, for tests)", DefaultValueFactory = _ => "full" };
        var output = new Option<DirectoryInfo?>("--output") { Description = "The run folder (default runs/<experiment name>)" };
        var steps = new Option<long?>("--max-steps") { Description = "Stop at this step (default: the calculated TotalSteps)" };
        var set = new Option<string[]>("--set") { Description = "Override a calculated parameter, e.g. --set TrainBS=16", AllowMultipleArgumentsPerToken = true };
        var precision = PrecisionOption.Create();
        var command = new Command("finetune", "Fine-tune TorToiSe's GPT on a voice (the Colab guide's training, exported for tortoise-tts-fast --ar-checkpoint).")
        {
            dataset, baseModel, dvae, tokenizer, melNorms, size, output, steps, set, precision,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => Task.FromResult(Run(
            pr.GetValue(dataset)!,
            TortoiseGptRecipe.ForSize(pr.GetValue(size)!, new TortoiseGptOptions
            {
                BaseModel = pr.GetValue(baseModel)?.FullName,
                Dvae = pr.GetValue(dvae)?.FullName,
                Tokenizer = pr.GetValue(tokenizer)?.FullName,
                MelNorms = pr.GetValue(melNorms)?.FullName,
            }),
            pr.GetValue(output), pr.GetValue(steps), pr.GetValue(set) ?? [], pr.GetValue(precision), ct)));
        return command;
    }

    private static int Run(string dataset, TortoiseGptRecipe recipe, DirectoryInfo? output, long? maxSteps, string[] overrides, string? precision,
        CancellationToken ct)
    {
        var problems = recipe.Problems();
        if (problems.Count > 0)
        {
            foreach (var p in problems) Console.Error.WriteLine($"kit finetune: {p}");
            Console.Error.WriteLine($"kit finetune: {TortoiseGptOptions.WhereToGetThem}");
            return 2;
        }
        foreach (var w in recipe.Options.Warnings()) Console.Error.WriteLine($"kit finetune: warning: {w}");
        // Failures reach Program's FailureReport (one line, a documented exit code).
        {
            Console.WriteLine($"Checking {dataset} ...");
            var report = DatasetCheck.Run(dataset, new DatasetCheckOptions { Cancellation = ct });
            if (report.ExitCode == 2) { Console.Error.WriteLine($"kit finetune: the dataset could not be read: {report.Error}"); return 2; }
            var set = ParameterCalculator.Calculate(report.ToDatasetStats(), new CalculatorOptions
            {
                Profile = DlasProfile.Name,
                // --fp16 is the parameter Fp16 set for this run: the table shows it as set by you.
                Overrides = ParameterOverrides.Parse(precision is null ? overrides : [.. overrides, $"Fp16={precision}"]),
            });
            Console.Write(set.ToText());
            var runDir = output?.FullName ?? Path.GetFullPath(Path.Combine("runs", set.Values.ExperimentName));
            var config = RunConfig.From(set, runDir, recipe.Name);
            var defaults = TrainerOptions.FromConfig(config);
            var trainerOptions = defaults with { MaxSteps = maxSteps ?? defaults.MaxSteps };
            Console.WriteLine($"Stop any time: Ctrl+C, or `touch {Path.Combine(runDir, StopFileSource.FileName)}`; a checkpoint is saved.");
            var result = Trainer.Run(config, recipe, runDir, trainerOptions, log: Console.WriteLine,
                cancel: ct, stopSources: [new ConsoleSignalStopSource { Notice = Console.WriteLine }]);
            Console.WriteLine(result.ToString());
            Console.WriteLine($"The GPT's weights for tortoise-tts-fast (--ar-checkpoint) are each checkpoint's model.pth under {runDir}/checkpoints.");
            if (result.UnsavedSteps > 0)
            {
                Console.Error.WriteLine($"kit finetune: {result.UnsavedSteps} trained steps are in no checkpoint ({result.SaveError})");
                return Failures.ExitCodes.WorkNotSaved;
            }
            return 0;
        }
    }
}
