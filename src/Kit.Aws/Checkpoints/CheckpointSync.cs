using System.Threading.Channels;

namespace Kit.Aws.Checkpoints;

/// <summary>
/// Uploads each saved checkpoint in the background so training does not wait on the network. Saves that
/// arrive while an upload runs are coalesced to the newest (an older one would be stale by the time it
/// got there). <see cref="FlushAsync"/> waits for the queue to drain: the trainer calls it after its
/// final save on an interruption notice. The trainer must keep a checkpoint folder until
/// <see cref="Uploaded"/> reports it (or <see cref="FlushAsync"/> returns).
/// </summary>
public sealed class CheckpointSync : IAsyncDisposable
{
    private readonly ICheckpointStore store;
    private readonly int attempts;
    private readonly TimeSpan retryDelay;
    private readonly Channel<(long Step, string Dir)> queue = Channel.CreateBounded<(long, string)>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly object gate = new();
    private readonly Task worker;
    private TaskCompletionSource idle = Completed();
    private int pending;

    public CheckpointSync(ICheckpointStore store, int attempts = 3, TimeSpan? retryDelay = null)
    {
        this.store = store;
        this.attempts = Math.Max(1, attempts);
        this.retryDelay = retryDelay ?? TimeSpan.FromSeconds(5);
        worker = Task.Run(RunAsync);
    }

    public event EventHandler<StoredCheckpoint>? Uploaded;

    /// <summary>An upload that failed every attempt; training goes on and the next save tries again.</summary>
    public event EventHandler<(long Step, Exception Error)>? Failed;

    public StoredCheckpoint? LastUploaded { get; private set; }

    /// <summary>Queues a saved checkpoint; returns at once.</summary>
    public void Enqueue(long step, string localDir)
    {
        // Under the lock with Done(), so a flush never sees "idle" between the count and the write.
        lock (gate)
        {
            if (pending++ == 0) idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!queue.Writer.TryWrite((step, localDir)))
                throw new ObjectDisposedException(nameof(CheckpointSync), "checkpoint sync is shut down");
        }
    }

    /// <summary>Waits until every queued checkpoint is uploaded (or has failed).</summary>
    public Task FlushAsync(CancellationToken ct = default)
    {
        Task wait;
        lock (gate) wait = idle.Task;
        return wait.WaitAsync(ct);
    }

    private async Task RunAsync()
    {
        await foreach (var (step, dir) in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        LastUploaded = await store.UploadAsync(step, dir).ConfigureAwait(false);
                        Uploaded?.Invoke(this, LastUploaded);
                        break;
                    }
                    catch (Exception) when (attempt < attempts)
                    {
                        await Task.Delay(retryDelay).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        Failed?.Invoke(this, (step, e));
                        break;
                    }
                }
            }
            finally { Done(); }
        }
    }

    /// <summary>One queued item is finished; a dropped (coalesced) item counts as finished too.</summary>
    private void Done()
    {
        lock (gate)
        {
            // Coalescing drops queued items silently, so pending can exceed what the reader sees:
            // the queue is idle when nothing is left in it and the reader is between items.
            pending = Math.Max(0, pending - 1);
            if (queue.Reader.Count == 0) { pending = 0; idle.TrySetResult(); }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var tcs = new TaskCompletionSource();
        tcs.TrySetResult();
        return tcs;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await worker.ConfigureAwait(false);
    }
}
