using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Recipes;
using Kit.Training.Loop.Stopping;

namespace Kit.Training.Loop;

/// <summary>
/// Trains a recipe from a run config. <see cref="Start"/> returns at once with a background
/// <see cref="TrainingRun"/> (notebooks); <see cref="Run"/> blocks until the run stops (command line).
/// Both write the run folder Kit.Export reads: run.yml, metrics.jsonl, checkpoints/, samples/, tensorboard/.
/// </summary>
public static class Trainer
{
    /// <summary>Starts training in the background; the run stops on <see cref="TrainingRun.Stop"/>, on <paramref name="cancel"/>, on a STOP file in the run folder, or at its limits.</summary>
    public static TrainingRun Start(RunConfig config, IRecipe? recipe = null, string? runDirectory = null,
        TrainerOptions? options = null, bool resume = false, Action<string>? log = null, CancellationToken cancel = default,
        IEnumerable<IStopSource>? stopSources = null, Action<SavedCheckpoint>? onCheckpointSaved = null)
    {
        var (loop, stop, view, folderLock) = Prepare(config, recipe, runDirectory, options, resume, log, cancel, stopSources, onCheckpointSaved);
        var completion = new TaskCompletionSource<TrainingResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        // A dedicated thread rather than the thread pool: training is hours of CPU work on one thread.
        var thread = new Thread(() =>
        {
            try { completion.SetResult(loop.Run()); }
            catch (Exception e)
            {
                view.Update(loop.Status with { State = TrainingState.Failed, Error = e.Message });
                completion.SetException(e);
            }
            finally
            {
                stop.Dispose();
                folderLock.Dispose();
            }
        }) { IsBackground = true, Name = "kit-trainer" };
        thread.Start();
        return new TrainingRun(loop, stop, view, completion.Task);
    }

    /// <summary>
    /// Trains on the calling thread until the run stops; returns how it ended. <paramref name="onCheckpointSaved"/>
    /// hears of each finished checkpoint (Kit.Aws uploads it to S3).
    /// </summary>
    public static TrainingResult Run(RunConfig config, IRecipe? recipe = null, string? runDirectory = null,
        TrainerOptions? options = null, bool resume = false, Action<string>? log = null, CancellationToken cancel = default,
        IEnumerable<IStopSource>? stopSources = null, Action<SavedCheckpoint>? onCheckpointSaved = null)
    {
        var (loop, stop, _, folderLock) = Prepare(config, recipe, runDirectory, options, resume, log, cancel, stopSources, onCheckpointSaved);
        using (folderLock)
        using (stop) return loop.Run();
    }

    /// <summary>The run config of an existing run folder, for resuming it.</summary>
    public static RunConfig ReadRunConfig(string runDirectory)
    {
        var path = RunConfigFile.InFolder(runDirectory);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing; is {runDirectory} a run folder?", path);
        return RunConfigFile.Read(path);
    }

    /// <summary>The start's line on gradient clipping: the norm it clips at and where that value comes from.</summary>
    internal static string ClippingLine(IRecipe recipe, TrainerOptions options)
    {
        var own = recipe.Defaults.MaxGradNorm;
        var source = options.MaxGradNorm == own.Value ? $"{recipe.Name}'s default: {own.Why}" : $"set for this run; {recipe.Name}'s default is {own.Value:0.###}";
        return $"Gradient clipping: norm {options.MaxGradNorm:0.###} ({source})";
    }

    /// <summary>
    /// How a recipe that reads text reads it in this run, settled once and kept in the config the run records, so a
    /// resume reads text as the run began: run.yml's model.phonemes; else, for a config made in code, the recipe's own;
    /// else letters, for `kit params` writes the key for every such recipe and a run.yml without it comes from a kit
    /// before the setting, whose runs read letters.
    /// </summary>
    internal static (RunConfig Config, string? Line) TextChoice(RunConfig config, IRecipe recipe)
    {
        if (recipe.Defaults.Phonemes is not { } own)
        {
            if (config.Phonemes is not null)
                throw new ConfigFormatException($"{config.Source?.Where("model.phonemes") ?? "model.phonemes: "}{recipe.Name} reads no text, so it has no phonemes to choose; remove the line");
            return (config, null);
        }
        var (phonemes, why) = config switch
        {
            { Phonemes: { } set } => (set, "model.phonemes"),
            { Source: null } => (own.Value, $"{recipe.Name}'s default"),
            _ => (false, "a run.yml from before model.phonemes: letters, as its runs read"),
        };
        return (config with { Phonemes = phonemes }, $"Text: {(phonemes ? "espeak-ng phonemes" : "letters")} ({why})");
    }

    private static (TrainingLoop, StopSignal, TrainingView, RunFolderLock) Prepare(RunConfig config, IRecipe? recipe, string? runDirectory,
        TrainerOptions? options, bool resume, Action<string>? log, CancellationToken cancel, IEnumerable<IStopSource>? stopSources,
        Action<SavedCheckpoint>? onCheckpointSaved)
    {
        var dir = Path.GetFullPath(runDirectory ?? config.OutputFolder);
        recipe ??= RecipeCatalog.Find(config.ModelRecipe);
        var (withText, textLine) = TextChoice(config, recipe);
        config = withText;
        // The recipe owns the clipping and the decay factor: every path into the trainer gets them here.
        options = (options ?? TrainerOptions.FromConfig(config)).WithRecipeDefaults(recipe.Defaults);
        log ??= _ => { };
        // Before anything in the folder is touched: a second run into it is refused, naming the first.
        var folderLock = RunFolderLock.Acquire(dir, resume ? "kit train --resume" : "kit train", log);
        try
        {
            DiskLimit.ApplyFromEnvironment(dir);
            var stop = new StopSignal();
            var view = new TrainingView();
            var loop = new TrainingLoop(config, recipe, dir, options, resume, stop, log, view) { CheckpointSaved = onCheckpointSaved };
            log(ClippingLine(recipe, options));
            if (textLine is not null) log(textLine);
            // A STOP file left from the run before would stop this one at once.
            var stale = Path.Combine(dir, StopFileSource.FileName);
            if (File.Exists(stale)) File.Delete(stale);
            stop.Add(new StopFileSource(dir));
            if (cancel.CanBeCanceled) stop.Add(new CancellationStopSource(cancel));
            foreach (var source in stopSources ?? []) stop.Add(source);
            return (loop, stop, view, folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }
}
