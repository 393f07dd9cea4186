using Kit.Aws.Checkpoints;
using Kit.Aws.Metadata;
using Kit.Aws.Spot;
using Kit.Aws.Tests.Support;
using Kit.TestSupport;

namespace Kit.Aws.Tests;

/// <summary>
/// The seam the trainer plugs into, driven by a stand-in training loop: a notice mid-training makes it save,
/// sync and stop; the checkpoint is in S3 (s3rver); a new run on "another VM" resumes at the same step.
/// </summary>
public sealed class SpotTrainingGuardTests(S3rver s3) : IClassFixture<S3rver>, IDisposable
{
    private readonly TempDir temp = new("kit-aws-guard");
    private readonly FakeImds imds = new();

    public void Dispose()
    {
        imds.Dispose();
        temp.Dispose();
    }

    /// <summary>What Kit.Training will do: resume, step, save every N steps, stop on the notice.</summary>
    private static async Task<(long LastStep, bool Interrupted)> TrainAsync(
        SpotTrainingGuard guard, string workDir, long maxSteps, int saveEvery, Func<long, Task>? onStep = null)
    {
        var resumed = await guard.ResumeAsync(Path.Combine(workDir, "resume"));
        var step = resumed?.Step ?? 0;
        while (step < maxSteps)
        {
            step++;
            if (onStep is not null) await onStep(step);
            await Task.Delay(10); // "a training step"
            if (guard.StopRequested.IsCancellationRequested)
            {
                guard.CheckpointSaved(step, SyntheticCheckpoint.Write(Path.Combine(workDir, "saves"), step));
                Assert.True(await guard.FinishAsync(HangGuard.Limit), HangGuard.Message("the final checkpoint's upload"));
                return (step, true);
            }
            if (step % saveEvery == 0)
                guard.CheckpointSaved(step, SyntheticCheckpoint.Write(Path.Combine(workDir, "saves"), step));
        }
        await guard.FinishAsync(HangGuard.Limit);
        return (step, false);
    }

    [Fact]
    public async Task A_notice_mid_training_saves_syncs_and_stops_and_a_new_VM_resumes_at_that_step()
    {
        var address = s3.Address("runs/spot-guard");
        long noticeAt = 0;
        (long Step, bool Interrupted) first;
        using (var client = new InstanceMetadataClient(imds.BaseUri))
        await using (var guard = new SpotTrainingGuard(DestinationCheckpointStore.Open(address, s3.Options),
                         new SpotInterruptionWatcher(client, TimeSpan.FromMilliseconds(100))))
        {
            first = await TrainAsync(guard, temp["vm1"], maxSteps: 100_000, saveEvery: 25, onStep: async step =>
            {
                if (step != 60) return;
                noticeAt = step;
                imds.SetNotice("terminate", DateTimeOffset.UtcNow.AddMinutes(2));
                // This step lasts until the watcher has seen the notice (as kit train's hold does), so how many steps
                // a loaded machine runs before the next poll never decides the test; the bound only ends a hang.
                await HangGuard.Await(Task.Delay(Timeout.Infinite, guard.StopRequested).ContinueWith(_ => { }), "the watcher's stop request");
            });
            Assert.Equal("terminate", guard.Notice!.Action);
        }

        Assert.True(first.Interrupted);
        Assert.Equal(noticeAt, first.Step); // stopped at the step the notice came in

        // Another VM, maybe another zone: nothing on its disk, only the store's address.
        await using var store = DestinationCheckpointStore.Open(address, s3.Options);
        Assert.Equal(first.Step, (await store.ListCompleteAsync())[0].Step);
        await using var guard2 = new SpotTrainingGuard(DestinationCheckpointStore.Open(address, s3.Options), watcher: null);
        var resumed = await guard2.ResumeAsync(temp["vm2"]);
        Assert.Equal(first.Step, resumed!.Step);
        Assert.Equal("{\"step\": " + first.Step + "}", File.ReadAllText(Path.Combine(resumed.Directory, "trainer.json")));

        var second = await TrainAsync(guard2, temp["vm2b"], maxSteps: first.Step + 10, saveEvery: 5);
        Assert.Equal((first.Step + 10, false), second);
    }

    [Fact]
    public async Task Saves_that_arrive_during_an_upload_are_coalesced_to_the_newest()
    {
        await using var store = DestinationCheckpointStore.Open(s3.Address("runs/coalesce"), s3.Options);
        await using var sync = new CheckpointSync(store);
        var uploaded = new List<long>();
        sync.Uploaded += (_, c) => { lock (uploaded) uploaded.Add(c.Step); };
        for (var step = 1; step <= 5; step++)
            sync.Enqueue(step, SyntheticCheckpoint.Write(temp["saves"], step, weightBytes: 500_000));
        await HangGuard.Await(sync.FlushAsync(), "the uploads' flush");

        Assert.Equal(5, sync.LastUploaded!.Step);
        Assert.Contains(5L, uploaded);
        Assert.True(uploaded.Count < 5 || uploaded.SequenceEqual([1L, 2, 3, 4, 5]), string.Join(",", uploaded));
        Assert.Equal(uploaded.Order(), uploaded);
    }
}
