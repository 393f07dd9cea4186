using System.CommandLine;
using Kit.Data.Checks;
using Kit.Data.Datasets;
using Kit.Training.Config;
using Kit.Training.Parameters;
using Kit.Training.Recipes;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit params DATASET`: training parameters from the dataset check, each with its reason, then the run
/// config and a DLAS config written to the output folder. Exit 0 done (warnings allowed), 1 a parameter or
/// override is invalid, 2 the dataset or check report could not be read.
/// </summary>
public sealed class ParamsCommand : IKitCommand
{
    public Command Create()
    {
        var dataset = new Argument<string?>("dataset")
        {
            Description = "An LJSpeech-format dataset folder or list file (checked first); optional with --check-json",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var checkJson = new Option<FileInfo?>("--check-json") { Description = "Use the report `kit check --json` wrote instead of checking again" };
        var profile = new Option<string>("--profile")
        {
            Description = "kit: the kit's defaults (fits memory, drops no clip, carves validation); dlas: exactly DLAS's param_calc.py",
            DefaultValueFactory = _ => KitProfile.Name,
        };
        profile.AcceptOnlyFromAmong([.. ParameterCalculator.Profiles]);
        var gpuMemory = new Option<string?>("--gpu-memory") { Description = "Accelerator memory to fit batches in, e.g. 16GB (default: found with nvidia-smi, else a 16 GB T4)" };
        var set = new Option<string[]>("--set") { Description = "Override a value: --set TrainBS=32 --set LRDecaySteps=100,200,300,400", AllowMultipleArgumentsPerToken = true };
        var valBatch = new Option<int>("--dlas-val-batch") { Description = "dlas profile: default validation batch (16 in param_calc.py, 32 in the Colab notebook)", DefaultValueFactory = _ => DlasRules.DefaultValBatch };
        var recipe = new Option<string>("--recipe") { Description = "The model recipe to train: the kit profile starts from its defaults, and the run config names it", DefaultValueFactory = _ => RunConfig.DefaultModelRecipe };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for run.yml and dlas-gpt.yml (default: runs/EXPERIMENT)" };
        var command = new Command("params", "Calculate training parameters from a dataset, with reasons; write the run config and a DLAS config.")
        {
            dataset, checkJson, profile, gpuMemory, set, valBatch, recipe, output,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var path = pr.GetValue(dataset);
            var json = pr.GetValue(checkJson);
            if (path is null && json is null)
            {
                Console.Error.WriteLine("kit params: give a dataset folder, or --check-json with the report `kit check --json` wrote");
                return 2;
            }

            DatasetCheckReport report;
            try
            {
                report = json is not null
                    ? DatasetCheckReport.Load(json.FullName)
                    : await ConsoleProgress.Items("checking clips", progress => Task.Run(() =>
                        DatasetCheck.Run(path!, new DatasetCheckOptions { Progress = progress, Cancellation = ct }), ct));
            }
            catch (Exception e) when (e is DatasetLoadException or InvalidDataException or IOException)
            {
                Console.Error.WriteLine($"kit params: {e.Message}");
                return 2;
            }
            if (report.ExitCode == 2)
            {
                Console.Error.WriteLine($"kit params: the dataset could not be read: {report.Error}");
                return 2;
            }

            IRecipe model;
            try { model = RecipeCatalog.Find(pr.GetValue(recipe)!); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"kit params: --recipe: {e.Message}");
                return 2;
            }
            var memoryText = pr.GetValue(gpuMemory);
            var result = ParameterCalculator.Calculate(report.ToDatasetStats(), new CalculatorOptions
            {
                Profile = pr.GetValue(profile)!,
                Recipe = model.Defaults,
                Overrides = ParameterOverrides.Parse(pr.GetValue(set) ?? []),
                GpuMemory = memoryText is null ? null : GpuMemory.Parse(memoryText),
                DlasValBatch = pr.GetValue(valBatch),
            });
            Console.Out.Write(result.ToText());
            if (report.HasErrors)
                Console.Out.WriteLine($"\nnote: the check found {report.Summary.Errors} error(s); only the usable clips are counted (`kit check` lists them)");
            var folder = pr.GetValue(output)?.FullName ?? Path.Combine("runs", result.Values.ExperimentName);
            var written = ParameterOutputs.Write(result, folder, model.Name);
            Console.Out.WriteLine();
            Console.Out.WriteLine($"run config:  {written.RunConfig}");
            Console.Out.WriteLine($"DLAS config: {written.DlasConfig}");
            if (written.DlasTrainList is not null)
                Console.Out.WriteLine($"DLAS lists:  {written.DlasTrainList}, {written.DlasValList}");
            return 0;
        });
        return command;
    }
}
