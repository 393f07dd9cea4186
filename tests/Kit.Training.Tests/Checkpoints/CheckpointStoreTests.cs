using System.Text.Json;
using Kit.Training.Batching;
using Kit.Training.Checkpoints;
using Kit.TestSupport;

namespace Kit.Training.Tests.Checkpoints;

public class CheckpointStoreTests
{
    private static SavedCheckpoint Save(CheckpointStore store, long step, double? val = null, int weightBytes = 2000) =>
        store.Save(step, val, expectedBytes: 0, w =>
        {
            w.Write(CheckpointFiles.InferenceWeights, s => s.Write(Enumerable.Range(0, weightBytes).Select(i => (byte)(i * step)).ToArray()));
            w.Write(CheckpointFiles.TrainingState, s => s.Write(new byte[weightBytes * 2]));
            w.WriteJson(TrainingProgress.FileName, new TrainingProgress { Step = step, Epoch = 1, DataPosition = new DataPosition(1, 3), Seed = 7 });
        });

    [Fact]
    public void Keeps_the_last_K_and_the_best_by_validation_loss()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        Save(store, 100, val: 0.9);
        Save(store, 200, val: 0.5);   // best
        Save(store, 300, val: 0.7);
        Save(store, 400, val: 0.8);
        Save(store, 500);
        Assert.Equal([200, 400, 500], store.Steps());
        Assert.Equal(200, store.Best!.Step);
        // The exporter's contract: best.json is {"step": N, "val_loss": x}.
        using var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.Folder, "best.json")));
        Assert.Equal(200, best.RootElement.GetProperty("step").GetInt64());
        Assert.Equal(0.5, best.RootElement.GetProperty("val_loss").GetDouble());
        Assert.DoesNotContain(Directory.GetDirectories(store.Folder), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void An_old_best_json_by_validation_loss_still_reads_and_a_named_metric_replaces_it()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 1);
        Save(store, 100);
        // As runs from before the metric was named wrote it.
        File.WriteAllText(Path.Combine(store.Folder, "best.json"), """{"step": 100, "val_loss": 0.5, "folder": "step-000000100"}""");
        Save(store, 200);
        Assert.Equal((100L, "dev_epoch/loss", 0.5), (store.Best!.Step, store.Best.MetricName, store.Best.MetricValue));
        Assert.Equal(100, store.FindBestOrNewestReadable()!.Step);
        Save(store, 300, val: 0.6); // worse by the same metric: best.json stays
        Assert.Equal(100, store.Best!.Step);
        Assert.Equal([100L, 300L], store.Steps());

        var mcd = new MetricValue(new Kit.Training.Metrics.BestMetric("dev_free/mcd_db"), 7.5);
        SaveBy(store, 400, mcd); // another metric: its first value is the best by it
        Assert.Equal((400L, "dev_free/mcd_db", 7.5), (store.Best!.Step, store.Best.MetricName, store.Best.MetricValue));
        SaveBy(store, 500, mcd with { Value = 8 });
        SaveBy(store, 600, mcd with { Value = 6 });
        Assert.Equal(600, store.Best!.Step);
        Assert.Equal([600L], store.Steps());
        using var best = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.Folder, "best.json")));
        Assert.Equal("dev_free/mcd_db", best.RootElement.GetProperty("metric").GetString());
        Assert.Equal(6, best.RootElement.GetProperty("value").GetDouble());
    }

    private static void SaveBy(CheckpointStore store, long step, MetricValue best) =>
        store.Save(step, 0, w =>
        {
            w.Write(CheckpointFiles.InferenceWeights, s => s.Write(new byte[100]));
            w.WriteJson(TrainingProgress.FileName, new TrainingProgress { Step = step, Epoch = 1, DataPosition = new DataPosition(1, 3), Seed = 7 });
        }, best);

    [Fact]
    public void Inference_weights_and_training_state_are_separate_files_listed_in_the_manifest()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path);
        var saved = Save(store, 100);
        Assert.Equal(Path.Combine(dir.Path, "checkpoints", "step-000000100"), saved.Folder);
        var manifest = CheckpointManifest.Verify(saved.Folder, out var problem);
        Assert.Null(problem);
        Assert.Equal([CheckpointFiles.InferenceWeights, CheckpointFiles.TrainingState, TrainingProgress.FileName], manifest!.Files.Select(f => f.Name));
    }

    [Fact]
    public void Resume_falls_back_to_the_previous_checkpoint_when_the_newest_is_damaged()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        Save(store, 100);
        Save(store, 200);
        Save(store, 300);
        // Flip one byte in the newest's weights; remove the manifest of the one before.
        var weights = Path.Combine(store.PathOf(300), CheckpointFiles.InferenceWeights);
        var bytes = File.ReadAllBytes(weights);
        bytes[10] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        File.Delete(Path.Combine(store.PathOf(200), CheckpointManifest.FileName));

        var skipped = new List<string>();
        var loaded = store.FindNewestReadable(skipped.Add);
        Assert.NotNull(loaded);
        Assert.Equal(100, loaded.Step);
        Assert.Equal(new DataPosition(1, 3), loaded.Progress.DataPosition);
        Assert.Equal(2, skipped.Count);
        Assert.Contains("checksum", skipped[0]);
        Assert.Contains("step-000000300", skipped[0]);
        Assert.Contains("manifest", skipped[1]);
    }

    [Fact]
    public void A_truncated_file_is_caught_by_its_size()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path);
        Save(store, 100);
        var state = Path.Combine(store.PathOf(100), CheckpointFiles.TrainingState);
        using (var fs = new FileStream(state, FileMode.Open)) fs.SetLength(10);
        Assert.Null(store.FindNewestReadable());
    }

    [Fact]
    public void A_partial_save_is_never_resumed_and_is_cleaned_up_by_the_next_save()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path);
        Save(store, 100);
        Assert.Throws<IOException>(() => store.Save(200, null, 0, w =>
        {
            w.Write(CheckpointFiles.InferenceWeights, s => s.Write(new byte[10]));
            throw new IOException("killed mid-save");
        }));
        Assert.Equal([100], store.Steps());
        Assert.Equal(100, store.FindNewestReadable()!.Step);
        Save(store, 300);
        Assert.Equal([100, 300], store.Steps());
        Assert.Equal(2, Directory.GetDirectories(store.Folder).Length);
    }

    [Fact]
    public void Refuses_to_start_a_save_that_does_not_fit_on_the_disk()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path);
        var wrote = false;
        var free = DiskSpace.FreeBytes(dir.Path);
        var e = Assert.Throws<InsufficientSpaceException>(() => store.Save(100, null, expectedBytes: free + (1L << 30), _ => wrote = true));
        Assert.False(wrote);
        Assert.Contains("Not enough disk space", e.Message);
        Assert.Contains(store.Folder, e.Message);
        Assert.Empty(Directory.GetDirectories(store.Folder));
    }
}
