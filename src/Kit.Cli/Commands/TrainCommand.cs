using System.CommandLine;
using Kit.Training.Config;
using Kit.Training.Trainer;
using Kit.Training.Trainer.Stopping;
using Spectre.Console;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit train CONFIG` trains into the config's output folder; `kit train --resume RUN_DIR` continues a run
/// from its newest readable checkpoint. Ctrl+C, SIGTERM or a STOP file in the run folder stop it after the
/// current step with a checkpoint saved.
/// </summary>
public sealed class TrainCommand : IKitCommand
{
    public Command Create()
    {
        var config = new Argument<FileInfo?>("config") { Description = "The run config (config.yaml from `kit params` or notebook 02)", Arity = ArgumentArity.ZeroOrOne };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this folder from its newest readable checkpoint" };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Train into this folder instead of the config's OutputFolder" };
        var steps = new Option<long?>("--max-steps") { Description = "Stop at this step (default: the config's TotalSteps)" };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many validations without a new best validation loss" };
        var command = new Command("train", "Train a voice model; stop any time with Ctrl+C or a STOP file in the run folder (a checkpoint is saved).")
        {
            config, resume, output, steps, patience,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => Task.FromResult(Train(
            pr.GetValue(config), pr.GetValue(resume), pr.GetValue(output), pr.GetValue(steps), pr.GetValue(patience))));
        return command;
    }

    private static int Train(FileInfo? configFile, DirectoryInfo? resume, DirectoryInfo? output, long? maxSteps, int? patience)
    {
        if ((configFile is null) == (resume is null))
        {
            Console.Error.WriteLine("kit train: give a run config (kit train config.yaml) or a run folder to resume (kit train --resume RUN_DIR)");
            return 2;
        }
        var plain = Console.IsOutputRedirected;
        void Log(string line)
        {
            if (plain) Console.WriteLine(line);
            else AnsiConsole.MarkupLine(line.StartsWith("step ", StringComparison.Ordinal) ? Markup.Escape(line) : $"[bold]{Markup.Escape(line)}[/]");
        }
        try
        {
            RunConfig config;
            string runDir;
            if (resume is not null)
            {
                runDir = resume.FullName;
                config = Trainer.ReadRunConfig(runDir);
            }
            else
            {
                if (!configFile!.Exists) { Console.Error.WriteLine($"kit train: {configFile.FullName}: no such file"); return 2; }
                config = RunConfigFile.Read(configFile.FullName);
                runDir = output?.FullName ?? config.OutputFolder;
            }
            var options = TrainerOptions.FromConfig(config) with
            {
                MaxSteps = maxSteps ?? TrainerOptions.FromConfig(config).MaxSteps,
                EarlyStoppingPatience = patience,
            };
            var signals = new ConsoleSignalStopSource { Notice = Log };
            Log($"Stop any time: Ctrl+C, or `touch {Path.Combine(runDir, StopFileSource.FileName)}`; the current step finishes and a checkpoint is saved.");
            var result = Trainer.Run(config, runDirectory: runDir, options: options, resume: resume is not null, log: Log, stopSources: [signals]);
            Log(result.ToString());
            if (result.LastCheckpointStep is not null) Log($"Continue later with: kit train --resume {runDir}");
            return 0;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or FormatException or ConfigFormatException)
        {
            Console.Error.WriteLine($"kit train: {e.Message}");
            return 1;
        }
    }
}
