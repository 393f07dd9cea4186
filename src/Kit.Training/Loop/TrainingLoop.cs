using System.Diagnostics;
using Kit.Display;
using Kit.Training.Batching;
using Kit.Training.Checkpoints;
using Kit.Training.Config;
using Kit.Training.Metrics;
using Kit.Training.Recipes;
using Kit.Training.Loop.Stopping;

namespace Kit.Training.Loop;

/// <summary>
/// One run, start to stop, on the calling thread. Between steps it checks the stop signal; every stop —
/// by hand, by limit, by early stopping — finishes the step under way and saves a checkpoint before returning.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly RunConfig _config;
    /// <summary>The run folder's config file (run.yml; an older run's config.yaml), whose text each checkpoint keeps.</summary>
    private string _configPath = "";
    private readonly IRecipe _recipe;
    private readonly TrainerOptions _options;
    private readonly StopSignal _stop;
    private readonly Action<string> _log;
    private readonly TrainingView _view;
    private readonly bool _resume;
    private readonly CheckpointStore _store;
    private readonly NonFiniteLossPolicy _nonFinite;
    private readonly EarlyStopping? _early;
    private readonly BestMetric _bestMetric;
    private readonly List<MetricPoint> _history = [];

    private RecipeContext _context = null!;
    private ITrainable _model = null!;
    private LengthBucketSampler _sampler = null!;
    private MetricsLog? _metrics;
    private TensorBoardWriter? _tensorBoard;

    private long _step;
    private DataPosition _position = new(0, 0);
    private double _lrScale = 1;
    private int _rollbacks;
    private double _trainingSeconds;
    private MetricValue? _validationSinceSave;
    private long? _lastSaved;
    private TrainingStatus _status = new() { State = TrainingState.Starting };

    public TrainingLoop(RunConfig config, IRecipe recipe, string runDirectory, TrainerOptions options, bool resume,
        StopSignal stop, Action<string> log, TrainingView view)
    {
        options.Validate();
        _config = config;
        _recipe = recipe;
        _options = options;
        _resume = resume;
        _stop = stop;
        _log = log;
        _view = view;
        RunDirectory = Path.GetFullPath(runDirectory);
        _store = new CheckpointStore(RunDirectory, options.KeepLastCheckpoints) { Damaged = log };
        _nonFinite = new NonFiniteLossPolicy(options.MaxNonFiniteInARow, options.RollbackLearningRateFactor);
        _bestMetric = new BestMetric(config.BestMetric ?? recipe.BestMetric);
        _early = options.EarlyStoppingPatience is { } p ? new EarlyStopping(p, metric: _bestMetric) : null;
    }

    public string RunDirectory { get; }

    /// <summary>Called after each checkpoint is complete on disk (e.g. to upload it).</summary>
    public Action<SavedCheckpoint>? CheckpointSaved { get; init; }
    public TrainingStatus Status => Volatile.Read(ref _status);

    /// <summary>Seconds spent inside the recipe's forward/backward/update, and in the loop around them (benchmark).</summary>
    private double _modelSeconds, _stepSeconds, _validationSeconds, _saveSeconds;
    private long _sessionSteps;

    public TrainingResult Run()
    {
        Directory.CreateDirectory(RunDirectory);
        _configPath = RunConfigFile.InFolder(RunDirectory);
        var resume = _resume && _store.Steps().Count > 0;
        if (_resume && !resume)
            _log($"{RunDirectory} holds no checkpoint yet (the last start did not get to one): starting it from step 0 with its {Path.GetFileName(_configPath)}");
        if (!_resume && _store.Steps().Count > 0)
            throw new InvalidOperationException($"{RunDirectory} already holds checkpoints: resume it (kit train --resume {RunDirectory}) or train into a new folder");
        var (train, validation) = TrainingData.Load(_config);
        RunConfigValidation.RequireBatchFits(_config, train.Count);
        _context = new RecipeContext { Config = _config, Train = train, Validation = validation, RunDirectory = RunDirectory, Log = _log };
        _model = _recipe.Create(_context);
        try
        {
            _sampler = new LengthBucketSampler(_model.TrainLengths, _options.TrainBatchSize, _options.Seed);
            if (resume) RestoreNewest(rollback: false);
            // Recorded once the start has got this far (data read, model built): a start that fails before leaves
            // no run.yml behind, and a fresh run replaces one left by such a start (it has no checkpoint). A resumed
            // run keeps the file it has, an older kit's config.yaml included.
            if (!resume || !File.Exists(_configPath)) _configPath = RunConfigFile.Record(_options.RecordedConfig ?? _config, RunDirectory);
            foreach (var note in _config.Source?.Notes ?? []) _log(note);
            _log(resume
                ? $"Resuming at step {_step} (epoch {_position.Epoch}) in {RunDirectory}"
                : $"Training {_recipe.Name} on {train.Count} clips ({validation.Count} for validation), {_sampler.BatchesPerEpoch} steps per epoch, into {RunDirectory}");
            _log($"Precision: {_model.Precision}");
            _log($"The best checkpoint (best.json){(_early is null ? " follows" : " and early stopping follow")} {_bestMetric.Name} ({_bestMetric.Direction}" +
                 (_config.BestMetric is null ? $", {_recipe.Name}'s default; run.yml's best_metric names another)" : ", run.yml's best_metric)"));
            _metrics = new MetricsLog(RunDirectory, resumeStep: _step);
            _tensorBoard = _options.WriteTensorBoard ? new TensorBoardWriter(Path.Combine(RunDirectory, CheckpointFiles.TensorBoardFolder)) : null;
            try
            {
                // One record per session: a resumed run may train on another device, so in another precision.
                AppendMetrics("precision", _step, _position.Epoch, [new(_model.Precision.Name, 1)]);
                return Loop();
            }
            finally
            {
                CloseQuietly(ref _metrics);
                CloseQuietly(ref _tensorBoard);
            }
        }
        finally
        {
            _model.Dispose();
        }
    }

    /// <summary>
    /// metrics.jsonl, TensorBoard and samples are records of the run, not the run: a write that fails (a full
    /// disk) stops that record for the rest of the session, says so once, and training goes on. The
    /// checkpoints keep the loss history, so the curves come back on resume.
    /// </summary>
    private void SideWrite<T>(ref T? writer, string what, Action<T> write) where T : class, IDisposable
    {
        if (writer is null) return;
        try { write(writer); }
        catch (IOException e)
        {
            _log($"Could not write {what} ({e.Message}): training goes on without it for the rest of this session; the checkpoints keep the weights and the loss history");
            CloseQuietly(ref writer);
        }
    }

    private void AppendMetrics(string kind, long step, int epoch, IEnumerable<KeyValuePair<string, double>> values) =>
        SideWrite(ref _metrics, MetricsLog.FileName, m => m.Append(kind, step, epoch, values));

    private static void CloseQuietly<T>(ref T? writer) where T : class, IDisposable
    {
        try { writer?.Dispose(); } catch (IOException) { } // the buffered bytes that did not fit are lost either way
        writer = null;
    }

    private TrainingResult Loop()
    {
        var window = new ProgressWindow();
        // The whole session's steps over its wall time: the speed the finished run reports.
        var session = new ProgressWindow();
        using var batches = _sampler.From(_position).GetEnumerator();
        var clock = new Stopwatch();
        string? reason = null;
        while (reason is null)
        {
            TestHold.AtStep(_step, _stop);
            reason = _stop.Reason
                ?? (_options.MaxSteps is { } max && _step >= max ? $"reached the step limit ({max})" : null)
                ?? (_early is { ShouldStop: true } ? _early.StopReason : null);
            if (reason is not null) break;

            clock.Restart();
            batches.MoveNext();
            var (position, clips) = batches.Current;
            var lr = _options.LearningRateAt(_step) * _lrScale;
            var modelStart = clock.Elapsed;
            var losses = ForwardBackward(clips);
            var loss = losses[MetricNames.TotalLoss];
            // A finite loss whose gradients are not finite makes no update either, and counts as a non-finite step.
            var updated = double.IsFinite(loss) && _model.ApplyUpdate(lr, _options.MaxGradNorm);
            if (!double.IsFinite(loss)) _model.DiscardGradients();
            var action = _nonFinite.Observe(updated ? loss : double.NaN);
            _modelSeconds += (clock.Elapsed - modelStart).TotalSeconds;
            _position = _sampler.Next(position);

            if (action == NonFiniteAction.SkipStep)
            {
                var what = double.IsFinite(loss) ? $"the loss is {loss:0.####} but its gradients are not finite" : $"the loss is {loss}";
                _log($"step {_step + 1}: {what}; skipped this batch ({_nonFinite.InARow} in a row, {_nonFinite.Total} in all)");
                AppendMetrics("skipped", _step + 1, _position.Epoch, [new("nonfinite_total", _nonFinite.Total)]);
                _stepSeconds += clock.Elapsed.TotalSeconds;
                continue;
            }
            if (action == NonFiniteAction.RollBack)
            {
                RollBack();
                batches.Dispose();
                return Loop();
            }

            _step++;
            var seconds = clock.Elapsed.TotalSeconds;
            _trainingSeconds += seconds;
            window.Add(losses, clips.Length);
            session.Add(losses, clips.Length);
            AppendMetrics("train", _step, position.Epoch, losses.Select(kv => new KeyValuePair<string, double>(MetricNames.Train(kv.Key), kv.Value)).Append(new(MetricNames.LearningRate, lr)));
            Publish(TrainingState.Training, lr, window, losses);

            if (_step % _options.PrintFrequency == 0) Print(window, lr);
            _stepSeconds += clock.Elapsed.TotalSeconds;
            _sessionSteps++;
            clock.Restart();
            if (_step % _options.ValidationFrequency == 0) RunValidation(lr, window);
            _validationSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
            // A save the disk refused is retried every step until it goes through (the free-space check that
            // comes first costs one statvfs), so the work at risk shrinks as soon as there is room again.
            if (_step % _options.SaveFrequency == 0 || _saveFailedAt is not null) Save();
            _saveSeconds += clock.Elapsed.TotalSeconds;
        }

        Publish(TrainingState.Stopping, 0, session, Status.LastTrainLosses, reason);
        _log($"Stopping at step {_step}: {reason}");
        clock.Restart();
        if (_lastSaved != _step) Save();
        _saveSeconds += clock.Elapsed.TotalSeconds;
        Publish(TrainingState.Finished, 0, session, Status.LastTrainLosses, reason);
        if (_lastSaved != _step)
            _log($"Steps {(_lastSaved ?? 0) + 1} to {_step} are in no checkpoint: the save failed ({_saveError}). " +
                 (_lastSaved is { } kept ? $"Kept: checkpoint step {kept}, from which --resume continues." : "No checkpoint was kept."));
        return new TrainingResult(_step, _position.Epoch, reason, _lastSaved, RunDirectory)
        {
            SaveError = _lastSaved == _step ? null : _saveError,
            Timings = new TrainingTimings(_sessionSteps, _stepSeconds, _modelSeconds, _validationSeconds, _saveSeconds),
        };
    }

    private Dictionary<string, double> ForwardBackward(int[] clips)
    {
        var parts = Math.Min(_options.AccumulationSteps, clips.Length);
        var total = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < parts; i++)
        {
            var micro = clips[(i * clips.Length / parts)..((i + 1) * clips.Length / parts)];
            var weight = (double)micro.Length / clips.Length;
            foreach (var (name, value) in _model.ForwardBackward(micro, weight))
                total[name] = total.GetValueOrDefault(name) + value * weight;
        }
        if (!total.ContainsKey(MetricNames.TotalLoss))
            throw new InvalidOperationException($"the recipe '{_recipe.Name}' returned no \"{MetricNames.TotalLoss}\" term (it returned {string.Join(", ", total.Keys)})");
        return total;
    }

    private void Print(ProgressWindow window, double lr)
    {
        var averages = window.Averages();
        var toSave = _options.SaveFrequency - _step % _options.SaveFrequency;
        _log(ProgressLine.Format(_step, _position.Epoch, averages, lr, window.StepsPerSecond, window.SamplesPerSecond, toSave));
        SideWrite(ref _tensorBoard, "the TensorBoard events", t => t.AddScalars(_step, averages.Select(kv => new KeyValuePair<string, double>(MetricNames.Train(kv.Key), kv.Value))
            .Append(new(MetricNames.LearningRate, lr)).Append(new("train/steps_per_s", window.StepsPerSecond))));
        _history.Add(new MetricPoint(MetricNames.Train(MetricNames.TotalLoss), _step, averages[MetricNames.TotalLoss]));
        _view.AddTrain(_step, averages[MetricNames.TotalLoss]);
        window.Reset();
    }

    private void RunValidation(double lr, ProgressWindow window)
    {
        Publish(TrainingState.Validating, lr, window, Status.LastTrainLosses);
        var losses = _model.Validate(_options.ValidationBatchSize);
        var free = FreeRunning();
        var named = losses.ToDictionary(kv => MetricNames.Validation(kv.Key), kv => kv.Value);
        foreach (var (name, value) in free) named[MetricNames.FreeRunning(name)] = value;
        AppendMetrics("validation", _step, _position.Epoch, named);
        SideWrite(ref _tensorBoard, "the TensorBoard events", t => t.AddScalars(_step, named));
        var total = losses.GetValueOrDefault(MetricNames.TotalLoss, double.NaN);
        RequireBestMetric(named, free);
        var chosen = named.GetValueOrDefault(_bestMetric.Name, double.NaN);
        _validationSinceSave = new MetricValue(_bestMetric, chosen);
        _history.Add(new MetricPoint(MetricNames.Validation(MetricNames.TotalLoss), _step, total));
        _view.AddValidation(_step, total);
        foreach (var name in TrainingView.FreeRunningCurves.Select(MetricNames.FreeRunning).Where(named.ContainsKey))
        {
            _history.Add(new MetricPoint(name, _step, named[name]));
            _view.AddFreeRunning(name, _step, named[name]);
        }
        var best = _early?.Observe(chosen);
        var by = _bestMetric == BestMetric.ValidationLoss ? "" : $" by {_bestMetric.Name}";
        _log($"validation at step {_step}: " + string.Join(", ", named.Select(kv => $"{kv.Key} {kv.Value:0.0000}"))
             + (_early is null ? "" : best == true ? $" (new best{by})" : $" (no improvement{by} for {_early.WithoutImprovement} of {_early.Patience})"));
        var written = new List<string>();
        foreach (var sample in Samples())
        {
            var path = Path.Combine(RunDirectory, CheckpointFiles.SamplesFolder, $"{CheckpointFiles.StepFolderName(_step)}-{sample.Name}");
            try { AtomicFile.WriteAllBytes(path, sample.Content); }
            catch (IOException e)
            {
                _log($"Could not write the sample {path} ({e.Message}); training goes on");
                continue;
            }
            written.Add(path);
        }
        _view.AddSamples(written);
        Volatile.Write(ref _status, Status with { LastValidationLosses = losses, LastFreeRunning = free });
    }

    /// <summary>
    /// The model speaking on its own, measured (dev_free/...). Like the samples it is a measurement, not the run:
    /// a recipe whose free-running pass fails is logged, the metrics are missing at this validation (no best
    /// by them), and training goes on.
    /// </summary>
    private IReadOnlyDictionary<string, double> FreeRunning()
    {
        if (_config.FreeRunningTexts == 0) return new Dictionary<string, double>();
        try { return _model.FreeRunning(_options.ValidationBatchSize); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _freeRunningFailed = true;
            _log($"Could not measure free-running speech at step {_step} ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); training goes on");
            return new Dictionary<string, double>();
        }
    }

    private bool _freeRunningFailed;

    /// <summary>
    /// A best metric this run's validation never reports (a dev_epoch/ name that is no loss term of the recipe,
    /// or a dev_free/ one from a recipe that does not speak) would leave best.json unwritten for the whole run:
    /// refused at the first validation, naming run.yml's line and the nearest metric the run does report.
    /// </summary>
    private void RequireBestMetric(IReadOnlyDictionary<string, double> named, IReadOnlyDictionary<string, double> free)
    {
        if (named.ContainsKey(_bestMetric.Name) || named.Count == 0) return;
        var isFree = _bestMetric.Name.StartsWith(MetricNames.FreeRunningPrefix, StringComparison.Ordinal);
        if (isFree && (_freeRunningFailed || _config.FreeRunningTexts == 0 || free.Count > 0)) return;
        var message = $"best metric '{_bestMetric.Name}' is not one {_recipe.Name}'s validation reports; did you mean '{RunConfigValidation.Nearest(_bestMetric.Name, named.Keys)}'? (it reports: {string.Join(", ", named.Keys)})";
        throw _config.BestMetric is not null && _config.Source is { } source
            ? new ConfigFormatException($"{source.Where("best_metric")}{message}")
            : new InvalidOperationException(message);
    }

    /// <summary>
    /// The recipe's samples at this validation. They are a preview: a recipe that fails to make them (a bug, or
    /// generation that hit a bad value) is logged and training goes on to the save that follows, since a run of
    /// days must not end, and lose the steps since its last checkpoint, over a preview.
    /// </summary>
    private IReadOnlyList<TrainingSample> Samples()
    {
        try { return _model.Samples(_step); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log($"Could not make the samples at step {_step} ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}); training goes on");
            return [];
        }
    }

    /// <summary>The step whose save failed first, while no save has gone through since (null: nothing at risk).</summary>
    private long? _saveFailedAt;
    private string? _saveError;

    private void Save()
    {
        var previous = Status;
        Volatile.Write(ref _status, previous with { State = TrainingState.Saving });
        var progress = new TrainingProgress
        {
            Step = _step,
            Epoch = _position.Epoch,
            DataPosition = _position,
            Seed = _options.Seed,
            LearningRateScale = _lrScale,
            OptimizerSteps = _step,
            SkippedNonFiniteSteps = _nonFinite.Total,
            Rollbacks = _rollbacks,
            BestValidationLoss = _early?.Best,
            BestMetric = _early is null ? null : _bestMetric.Name,
            ValidationsWithoutImprovement = _early?.WithoutImprovement ?? 0,
            TrainingSeconds = _trainingSeconds,
            Precision = _model.Precision.Name,
            Settings = File.ReadAllText(_configPath),
            Metrics = _history.ToList(),
        };
        var clock = Stopwatch.StartNew();
        try
        {
            var saved = _store.Save(_step, _model.EstimatedCheckpointBytes, w =>
            {
                _model.Save(w);
                w.WriteJson(TrainingProgress.FileName, progress);
            }, _validationSinceSave);
            _lastSaved = _step;
            _validationSinceSave = null;
            var retried = _saveFailedAt is { } failed ? $" (the save that failed at step {failed} went through)" : "";
            _saveFailedAt = null;
            _saveError = null;
            _log($"Saved checkpoint step {_step} ({ByteSize.Format(saved.Bytes)}, {clock.Elapsed.TotalSeconds:0.0} s){(saved.IsBest ? $", the best so far by {_bestMetric.Name}" : "")}{retried}");
            Volatile.Write(ref _status, previous with { LastCheckpointStep = _step, LastCheckpointUtc = DateTime.UtcNow });
            _view.Update(Status);
            CheckpointSaved?.Invoke(saved);
        }
        catch (IOException e) when (e is not RunFolderInUseException)
        {
            // A full disk (refused before writing, or ENOSPC in the middle of a file) or any other failed write:
            // the partial folder is gone, the checkpoints before are untouched, and training goes on.
            Volatile.Write(ref _status, previous);
            var first = _saveFailedAt is null;
            _saveFailedAt ??= _step;
            _saveError = e.Message;
            if (first)
                _log($"Could not save checkpoint step {_step}: {e.Message} " +
                     (_lastSaved is { } kept ? $"Kept: checkpoint step {kept} and the ones before it. " : "No checkpoint is kept yet. ") +
                     "Training goes on and the save is retried every step until it goes through.");
        }
    }

    /// <summary>Too many non-finite losses in a row: back to the newest good checkpoint (or the start) with a lower learning rate.</summary>
    private void RollBack()
    {
        var scale = _lrScale * _options.RollbackLearningRateFactor;
        var rollbacks = _rollbacks + 1;
        var from = _step;
        var skipped = _nonFinite.Total;
        if (!RestoreNewest(rollback: true))
        {
            _model.Dispose();
            _model = _recipe.Create(_context);
            _step = 0;
            _position = new DataPosition(0, 0);
            _trainingSeconds = 0;
        }
        _lrScale = scale;
        _rollbacks = rollbacks;
        _nonFinite.Total = skipped;
        var message = $"{_options.MaxNonFiniteInARow} non-finite losses in a row at step {from}: rolled back to step {_step} " +
                      $"and lowered the learning rate to {_lrScale:0.###}× the schedule ({_options.LearningRateAt(_step) * _lrScale:0.0e+00})";
        _log(message);
        AppendMetrics("rollback", _step, _position.Epoch, [new("from_step", from), new("lr_scale", _lrScale)]);
    }

    private bool RestoreNewest(bool rollback)
    {
        LoadedCheckpoint? checkpoint = null;
        foreach (var candidate in _store.ReadableNewestFirst(_log))
        {
            try
            {
                _model.Load(candidate);
                checkpoint = candidate;
                break;
            }
            catch (Exception e) when (IsUnloadable(e))
            {
                // Its files match the manifest, yet they do not load (written wrong, or by another kit): as
                // damaged as a checksum mismatch, so the previous step is tried, with a model built afresh.
                _log($"Skipping checkpoint {candidate.Folder}: its files match the manifest but do not load ({e.Message})");
                _model.Dispose();
                _model = _recipe.Create(_context);
            }
        }
        if (checkpoint is null)
        {
            if (rollback) return false;
            throw new InvalidOperationException($"{RunDirectory}: no readable checkpoint to resume from" +
                (_store.Steps().Count > 0 ? " (every checkpoint is damaged or incomplete; see above)" : ""));
        }
        var p = checkpoint.Progress;
        if (!rollback && p.Precision is { } saved && saved != _model.Precision.Name)
            _log($"the checkpoint trained in {saved}; this session trains in {_model.Precision.Name}");
        _step = p.Step;
        _position = p.DataPosition;
        _lrScale = p.LearningRateScale;
        _rollbacks = p.Rollbacks;
        _nonFinite.Total = p.SkippedNonFiniteSteps;
        _trainingSeconds = p.TrainingSeconds;
        // Early stopping's best of another metric (the setting changed, or a checkpoint from before it was named)
        // does not compare with this one's values: counting starts again.
        if ((p.BestMetric ?? BestMetric.ValidationLoss.Name) == _bestMetric.Name) _early?.Restore(p.BestValidationLoss, p.ValidationsWithoutImprovement);
        else _early?.Restore(null, 0);
        _history.Clear();
        _history.AddRange(p.Metrics);
        _lastSaved = p.Step;
        _view.ClearCurves();
        foreach (var m in p.Metrics)
        {
            if (m.Name == MetricNames.Train(MetricNames.TotalLoss)) _view.AddTrain(m.Step, m.Value);
            else if (m.Name.StartsWith(MetricNames.FreeRunningPrefix, StringComparison.Ordinal)) _view.AddFreeRunning(m.Name, m.Step, m.Value);
            else _view.AddValidation(m.Step, m.Value);
        }
        Volatile.Write(ref _status, Status with { Step = _step, Epoch = _position.Epoch, LastCheckpointStep = p.Step, LastCheckpointUtc = checkpoint.Manifest.CreatedUtc });
        return true;
    }

    private static bool IsUnloadable(Exception e) =>
        e is IOException or InvalidDataException or FormatException or ArgumentException or InvalidOperationException
            or NotSupportedException or KeyNotFoundException or System.Runtime.InteropServices.ExternalException;

    private void Publish(TrainingState state, double lr, ProgressWindow window, IReadOnlyDictionary<string, double> losses, string? reason = null)
    {
        var s = Status with
        {
            State = state,
            Step = _step,
            Epoch = _position.Epoch,
            LearningRate = lr > 0 ? lr : Status.LearningRate,
            StepsPerSecond = window.Steps > 0 ? window.StepsPerSecond : Status.StepsPerSecond,
            SamplesPerSecond = window.Steps > 0 ? window.SamplesPerSecond : Status.SamplesPerSecond,
            LastTrainLosses = losses,
            SkippedNonFiniteSteps = _nonFinite.Total,
            StopReason = reason ?? Status.StopReason,
        };
        Volatile.Write(ref _status, s);
        _view.Update(s);
    }
}
