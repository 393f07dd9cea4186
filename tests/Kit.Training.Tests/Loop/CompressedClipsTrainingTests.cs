using Kit.Training.Metrics;
using Kit.Training.Recipes.Tiny;
using Kit.Training.Loop;
using Kit.TestSupport;

namespace Kit.Training.Tests.Loop;

/// <summary>A dataset of MP3, FLAC and OGG Vorbis clips trains as DLAS trains on it: the data path reads them through Kit.Data's one audio reader.</summary>
public class CompressedClipsTrainingTests
{
    [Fact]
    public void The_tiny_recipe_trains_on_mp3_flac_and_ogg_clips()
    {
        using var dataset = new TempDir("kit-compressed-dataset");
        using var run = new TempDir();
        SampleDatasets.CopyTo(dataset.Path, 40);
        var extensions = new[] { ".mp3", ".flac", ".ogg" };
        int converted = 0;
        foreach (var list in new[] { "train.txt", "val.txt" })
        {
            var lines = File.ReadAllLines(dataset[list]).Select((line, i) =>
            {
                var wav = line.Split('|')[0];
                var compressed = Path.ChangeExtension(wav, extensions[i % 3]);
                if (compressed.EndsWith(".mp3")) AudioTools.Lame("-V", "2", dataset[wav], dataset[compressed]);
                else AudioTools.Sox(dataset[wav], dataset[compressed]);
                File.Delete(dataset[wav]); // only the compressed clip is left to read
                converted++;
                return compressed + line[wav.Length..];
            });
            File.WriteAllLines(dataset[list], lines.ToList());
        }
        Assert.Equal(40, converted);

        var config = TrainerFixture.Config(run.Path) with
        {
            TrainList = dataset["train.txt"],
            ValList = dataset["val.txt"],
        };
        var result = Trainer.Run(config, new TinyDurationRecipe(), options: TrainerOptions.FromConfig(config) with { MaxSteps = 40 });
        Assert.Equal(40, result.Step);
        var validation = MetricsLog.Read(Path.Combine(run.Path, MetricsLog.FileName))
            .Where(r => r.Kind == "validation").Select(r => r.Values["dev_epoch/loss"]).ToList();
        Assert.True(validation[^1] < validation[0] * 0.5, $"validation loss went {validation[0]} → {validation[^1]}");
    }
}
