using System.CommandLine;
using Kit.Aws.Checkpoints;
using Kit.Cli.Failures;
using Kit.Aws.Spot;
using Kit.Export.S3;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Recipes;
using Kit.Training.Loop;
using Kit.Training.Loop.Stopping;
using Spectre.Console;

namespace Kit.Cli.Commands;

/// <summary>
/// `kit train CONFIG` trains into the config's output folder; `kit train --resume RUN_DIR` continues a run
/// from its newest readable checkpoint. Ctrl+C, SIGTERM or a STOP file in the run folder stop it after the
/// current step with a checkpoint saved. On a VM `kit aws launch` made (KIT_CHECKPOINT_STORE, KIT_SPOT_WATCH),
/// the newest checkpoint comes down from S3 first, every checkpoint goes up as it is saved, and the spot
/// interruption notice stops the run like any other stop.
/// </summary>
public sealed class TrainCommand : IKitCommand
{
    public Command Create()
    {
        var config = new Argument<FileInfo?>("config") { Description = "The run config (run.yml from `kit params` or notebook 02)", Arity = ArgumentArity.ZeroOrOne };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this folder from its newest readable checkpoint" };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Train into this folder instead of the config's OutputFolder" };
        var steps = new Option<long?>("--max-steps") { Description = "Stop at this step (default: the config's TotalSteps)" };
        var patience = new Option<int?>("--patience") { Description = "Stop after this many validations without a new best validation loss" };
        var spectrogram = new Option<string?>("--spectrogram-model-checkpoint")
            { Description = "Signal model recipes: train on this spectrogram model's teacher-forced frames (weights, checkpoint folder, run folder, or an s3:// checkpoint address)" };
        var precision = PrecisionOption.Create();
        var keepLast = new Option<int?>("--keep-last") { Description = "Checkpoints kept besides the best one (default: the config's keep_last_checkpoints, 3)" };
        var minutes = new Option<double?>("--max-minutes") { Description = "Stop after this many minutes of wall time, like Ctrl+C (a checkpoint is saved)" };
        var command = new Command("train", "Train a voice model; stop any time with Ctrl+C or a STOP file in the run folder (a checkpoint is saved).")
        {
            config, resume, output, steps, patience, spectrogram, precision, keepLast, minutes,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => Train(
            pr.GetValue(config), pr.GetValue(resume), pr.GetValue(output), pr.GetValue(steps), pr.GetValue(patience), pr.GetValue(spectrogram),
            pr.GetValue(precision), pr.GetValue(keepLast), pr.GetValue(minutes)));
        return command;
    }

    private static async Task<int> Train(FileInfo? configFile, DirectoryInfo? resume, DirectoryInfo? output, long? maxSteps, int? patience,
        string? spectrogramCheckpoint, string? precision, int? keepLast, double? maxMinutes)
    {
        if ((configFile is null) == (resume is null))
        {
            Console.Error.WriteLine("kit train: give a run config (kit train runs/v/run.yml) or a run folder to resume (kit train --resume RUN_DIR)");
            return ExitCodes.BadInput;
        }
        var plain = Console.IsOutputRedirected;
        void Log(string line)
        {
            if (plain) Console.WriteLine(line);
            else AnsiConsole.MarkupLine(line.StartsWith("step ", StringComparison.Ordinal) ? Markup.Escape(line) : $"[bold]{Markup.Escape(line)}[/]");
        }
        {
            await using var spot = SpotTrainingGuard.FromEnvironment();
            async Task FetchFromStore(string runDir)
            {
                if (spot.Store is not null && await spot.ResumeAsync(Path.Combine(runDir, CheckpointFiles.CheckpointsFolder)) is { } downloaded)
                    Log($"Fetched checkpoint step {downloaded.Step} from the checkpoint store into {downloaded.Directory}");
            }
            RunConfig config;
            string runDir;
            if (resume is not null)
            {
                runDir = resume.FullName;
                // A new VM's run folder is empty: the checkpoint comes first, and its state.json carries the settings.
                await FetchFromStore(runDir);
                RestoreConfigFromCheckpoint(runDir, Log);
                config = Trainer.ReadRunConfig(runDir);
            }
            else
            {
                if (!configFile!.Exists) { Console.Error.WriteLine($"kit train: {configFile.FullName}: no such file"); return ExitCodes.BadInput; }
                config = RunConfigFile.Read(configFile.FullName);
                runDir = output?.FullName ?? config.OutputFolder;
                if (spectrogramCheckpoint is not null)
                {
                    if (!S3Address.IsS3(spectrogramCheckpoint) && !File.Exists(spectrogramCheckpoint) && !Directory.Exists(spectrogramCheckpoint))
                    {
                        Console.Error.WriteLine($"kit train: --spectrogram-model-checkpoint {Path.GetFullPath(spectrogramCheckpoint)}: no such checkpoint file or folder");
                        return ExitCodes.BadInput;
                    }
                    config = config with
                    {
                        SpectrogramModelCheckpoint = S3Address.IsS3(spectrogramCheckpoint) ? spectrogramCheckpoint : Path.GetFullPath(spectrogramCheckpoint),
                    };
                }
                await FetchFromStore(runDir);
            }
            if (precision is not null) config = config with { Parameters = config.Parameters with { Fp16 = Precisions.Parse(precision) } };
            if (keepLast is not null) config = config with { KeepLastCheckpoints = keepLast.Value };
            RunConfig? recorded = null;
            if (config.SpectrogramModelCheckpoint is { } remote && S3Address.IsS3(remote))
            {
                // The run's config keeps the address, so a resume on a new VM fetches the checkpoint again.
                recorded = config;
                if (await FetchSpectrogramCheckpoint(remote, runDir, Log) is not { } local)
                {
                    Console.Error.WriteLine($"kit train: spectrogram model checkpoint {remote}: no complete checkpoint of that name in its store");
                    return ExitCodes.BadInput;
                }
                config = config with { SpectrogramModelCheckpoint = local };
            }
            // The recipe's clipping and decay factor are filled in by the trainer, as for every caller.
            var fromConfig = TrainerOptions.FromConfig(config);
            var options = fromConfig with
            {
                MaxSteps = maxSteps ?? fromConfig.MaxSteps,
                EarlyStoppingPatience = patience,
                RecordedConfig = recorded,
            };
            // On a spot VM a restart continues the run in place rather than refusing a folder with checkpoints.
            var managedVm = spot.OnManagedVm;
            var resuming = resume is not null
                || (managedVm && Directory.Exists(Path.Combine(runDir, CheckpointFiles.CheckpointsFolder)) && new CheckpointStore(runDir).Steps().Count > 0);
            var signals = new ConsoleSignalStopSource { Notice = Log };
            var interruption = new CancellationStopSource(spot.StopRequested, "the spot interruption notice (the VM stops in two minutes)");
            // The clock starts here: the trainer's data preparation counts against the budget, as it would for a person watching.
            using var budget = maxMinutes is { } m ? new CancellationTokenSource(TimeSpan.FromMinutes(m)) : null;
            IStopSource[] stopSources = budget is null ? [signals, interruption]
                : [signals, interruption, new CancellationStopSource(budget.Token, $"the time limit (--max-minutes {maxMinutes})")];
            Log($"Stop any time: Ctrl+C, or `touch {Path.Combine(runDir, StopFileSource.FileName)}`; the current step finishes and a checkpoint is saved.");
            var result = Trainer.Run(config, runDirectory: runDir, options: options, resume: resuming, log: Log,
                stopSources: stopSources, onCheckpointSaved: s => spot.CheckpointSaved(s.Step, s.Folder));
            Log(result.ToString());
            if (spot.Store is not null && !await spot.FinishAsync(TimeSpan.FromSeconds(100)))
                Log("Some checkpoint uploads did not finish in time; the newest complete one in the store is used on the next start.");
            if (result.LastCheckpointStep is not null) Log($"Continue later with: kit train --resume {runDir}");
            if (result.UnsavedSteps > 0)
            {
                // Never a success: the person must hear that work was lost, and scripts must see it.
                Console.Error.WriteLine($"kit train: {result.UnsavedSteps} trained steps are in no checkpoint ({result.SaveError}); " +
                                        (result.LastCheckpointStep is { } kept ? $"kept: checkpoint step {kept}" : "no checkpoint was kept"));
                return ExitCodes.WorkNotSaved;
            }
            return ExitCodes.Ok;
        }
    }

    /// <summary>
    /// An s3:// spectrogram checkpoint address (notebook aws/02 passes the spectrogram run's synced checkpoint)
    /// downloaded, verified, under the run folder; null when its store holds no complete checkpoint of that name.
    /// </summary>
    private static async Task<string?> FetchSpectrogramCheckpoint(string address, string runDir, Action<string> log)
    {
        var trimmed = address.TrimEnd('/');
        var cut = trimmed.LastIndexOf('/');
        await using var store = DestinationCheckpointStore.Open(trimmed[..cut], SpotTrainingGuard.S3FromEnvironment());
        var local = await store.DownloadAsync(trimmed[(cut + 1)..], Path.Combine(runDir, "cache", "spectrogram-checkpoint"));
        if (local is not null) log($"Fetched the spectrogram checkpoint {address} into {local.Directory}");
        return local?.Directory;
    }

    /// <summary>
    /// A run folder without its run.yml but with checkpoints (fetched from the store onto a new VM) gets its
    /// config back from the newest readable checkpoint's settings, which are the run.yml text it trained with (an
    /// older kit's config.yaml text: the same format, so it is restored as run.yml).
    /// </summary>
    private static void RestoreConfigFromCheckpoint(string runDir, Action<string> log)
    {
        var path = RunConfigFile.InFolder(runDir);
        if (File.Exists(path) || !Directory.Exists(Path.Combine(runDir, CheckpointFiles.CheckpointsFolder))) return;
        if (new CheckpointStore(runDir).FindNewestReadable(log) is not { Progress.Settings: { Length: > 0 } settings } checkpoint) return;
        File.WriteAllText(path, settings);
        log($"Restored {path} from checkpoint step {checkpoint.Step}");
    }
}
