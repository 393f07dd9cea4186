using Kit.Training.Metrics;
using Kit.TestSupport;

namespace Kit.Training.Tests.Metrics;

public class MetricsLogTests
{
    [Fact]
    public void Lines_are_readable_while_the_log_is_open_and_resume_drops_later_steps()
    {
        using var dir = new TempDir();
        using (var log = new MetricsLog(dir.Path))
        {
            log.Append("train", 10, 0, [new("train/loss", 1.5), new("lr", 1e-3)]);
            log.Append("validation", 20, 1, [new("dev_epoch/post_spectrogram_loss", 0.75)]);
            log.Append("train", 30, 1, [new("train/loss", double.NaN)]);
            // Flushed per line: another reader sees all three now.
            var read = MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)).ToList();
            Assert.Equal([10L, 20, 30], read.Select(r => r.Step));
            Assert.Equal(0.75, read[1].Values["dev_epoch/post_spectrogram_loss"]);
            Assert.True(double.IsNaN(read[2].Values["train/loss"]));
        }
        File.AppendAllText(Path.Combine(dir.Path, MetricsLog.FileName), "{\"kind\":\"tra"); // torn line from a crash
        using (var log = new MetricsLog(dir.Path, resumeStep: 20))
            log.Append("train", 21, 1, [new("train/loss", 0.5)]);
        var after = MetricsLog.Read(Path.Combine(dir.Path, MetricsLog.FileName)).ToList();
        Assert.Equal([10L, 20, 21], after.Select(r => r.Step));
    }

    [Fact]
    public void Progress_line_shows_losses_speed_and_time_to_next_save()
    {
        var line = ProgressLine.Format(120, 3, new Dictionary<string, double> { ["loss"] = 0.5321, ["mel"] = 0.41 }, 1e-3, 2.0, 64, 70);
        Assert.Equal("step 120 | epoch 3 | loss 0.5321 (mel 0.4100) | lr 1.0e-03 | 2.00 steps/s | 64.0 samples/s | next save in 0:35", line);
    }
}
