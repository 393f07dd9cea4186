using Kit.Aws.Checkpoints;
using Kit.Aws.Launch;
using Kit.Aws.Metadata;

namespace Kit.Aws.Spot;

/// <summary>
/// What the trainer plugs into on a spot VM (the seam between Kit.Training and AWS):
/// <list type="number">
/// <item>at start, <see cref="ResumeAsync"/>: the newest complete checkpoint from the store, or null to start fresh;</item>
/// <item>after each save, <see cref="CheckpointSaved"/>: uploaded in the background;</item>
/// <item>every step, <see cref="StopRequested"/>: cancelled on the two-minute notice; then the trainer saves,
/// calls <see cref="CheckpointSaved"/> and awaits <see cref="FinishAsync"/> before exiting.</item>
/// </list>
/// Without a watcher (not on spot) <see cref="StopRequested"/> never fires; without a store nothing syncs.
/// </summary>
public sealed class SpotTrainingGuard : IAsyncDisposable
{
    private readonly SpotInterruptionWatcher? watcher;
    private readonly CheckpointSync? sync;

    public SpotTrainingGuard(ICheckpointStore? store, SpotInterruptionWatcher? watcher)
    {
        Store = store;
        this.watcher = watcher?.Start();
        sync = store is null ? null : new CheckpointSync(store);
    }

    /// <summary>The instance metadata address (the AWS SDKs' own variable); unset on EC2, set by tests to a loopback service.</summary>
    public const string MetadataEndpointVariable = "AWS_EC2_METADATA_SERVICE_ENDPOINT";

    /// <summary>Seconds between interruption polls (default 5, AWS's advice).</summary>
    public const string PollSecondsVariable = "KIT_SPOT_POLL_SECONDS";

    /// <summary>
    /// S3 settings from the AWS SDKs' endpoint and region variables (<see cref="Kit.Export.S3.S3Options.FromEnvironment"/>);
    /// null: AWS itself, the defaults. An S3-compatible server is addressed path-style, as such servers need.
    /// </summary>
    public static Kit.Export.S3.S3Options? S3FromEnvironment() =>
        Kit.Export.S3.S3Options.FromEnvironment() is { EndpointUrl: not null } s3 ? s3 : null;

    /// <summary>
    /// From the environment `kit aws launch` sets on the VM: KIT_CHECKPOINT_STORE (an s3:// address or folder)
    /// and KIT_SPOT_WATCH=1 (poll the instance metadata service); S3 settings from <see cref="S3FromEnvironment"/>.
    /// </summary>
    public static SpotTrainingGuard FromEnvironment(TimeSpan? pollInterval = null)
    {
        var address = Environment.GetEnvironmentVariable(TrainingRunSettings.CheckpointStoreVariable);
        var s3 = S3FromEnvironment();
        var store = string.IsNullOrWhiteSpace(address) ? null : DestinationCheckpointStore.Open(address, s3);
        var watch = Environment.GetEnvironmentVariable(TrainingRunSettings.SpotWatchVariable) == "1";
        if (!watch) return new SpotTrainingGuard(store, null);
        var imds = Variable(MetadataEndpointVariable) is { } url
            ? new Uri(url.EndsWith('/') ? url : url + "/", UriKind.Absolute)
            : null;
        if (pollInterval is null && Variable(PollSecondsVariable) is { } seconds)
        {
            if (!double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) || s <= 0)
                throw new ArgumentException($"{PollSecondsVariable}={seconds}: give a positive number of seconds");
            pollInterval = TimeSpan.FromSeconds(s);
        }
        return new SpotTrainingGuard(store, new SpotInterruptionWatcher(new InstanceMetadataClient(imds), pollInterval));
    }

    private static string? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value.Trim() : null;

    public ICheckpointStore? Store { get; }

    /// <summary>On a VM `kit aws launch` made (a checkpoint store, or the interruption watch): a restart continues the run in place.</summary>
    public bool OnManagedVm => Store is not null || watcher is not null;

    public CancellationToken StopRequested => watcher?.Token ?? CancellationToken.None;

    public SpotInterruptionNotice? Notice => watcher?.Notice;

    public CheckpointSync? Sync => sync;

    public Task<LocalCheckpoint?> ResumeAsync(string localRoot, CancellationToken ct = default) =>
        Store is null ? Task.FromResult<LocalCheckpoint?>(null) : Store.DownloadLatestAsync(localRoot, ct: ct);

    public void CheckpointSaved(long step, string localDir) => sync?.Enqueue(step, localDir);

    /// <summary>Waits for queued uploads; bounded by <paramref name="budget"/> (what is left of the two minutes).</summary>
    public async Task<bool> FinishAsync(TimeSpan budget)
    {
        if (sync is null) return true;
        try
        {
            await sync.FlushAsync().WaitAsync(budget).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        if (watcher is not null) await watcher.DisposeAsync().ConfigureAwait(false);
        if (sync is not null) await sync.DisposeAsync().ConfigureAwait(false);
        if (Store is not null) await Store.DisposeAsync().ConfigureAwait(false);
    }
}
