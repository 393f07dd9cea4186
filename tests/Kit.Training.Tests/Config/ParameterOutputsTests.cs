using Kit.TestSupport;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Tests.Config;

public class ParameterOutputsTests
{
    [Fact]
    public void A_carved_split_is_written_for_DLAS_with_exactly_the_same_clips()
    {
        using var dir = new TempDir();
        var clips = Enumerable.Range(0, 40).Select(i => new ClipStats($"wavs/c{i:D2}.wav", 2 + i % 5, 30, $"text {i}")).ToArray();
        var stats = new DatasetStats { TrainListPath = dir["ds/metadata.csv"], Train = clips };
        var set = ParameterCalculator.Calculate(stats, new CalculatorOptions { DetectGpu = false });
        var written = ParameterOutputs.Write(set, dir["run"]);

        var run = RunConfigFile.Read(written.RunConfig);
        Assert.Equal(set.Values, run.Parameters);
        Assert.Equal(ValidationSource.Carved, run.Validation);
        Assert.Null(run.ValList);

        var dlas = DlasTrainingYaml.Read(written.DlasConfig);
        Assert.Equal(set.Values, dlas.Parameters);
        Assert.Equal(written.DlasTrainList, dlas.TrainList);
        var valLines = File.ReadAllLines(dlas.ValList);
        Assert.Equal(set.ValClips.Select(c => $"{dir["ds"]}/{c.Id}|{c.Text}"), valLines);
        Assert.Equal(run.CarvedValidation.Count, valLines.Length);
        Assert.Equal(40, valLines.Length + File.ReadAllLines(dlas.TrainList).Length);
    }

    [Fact]
    public void Without_transcripts_the_dataset_lists_are_named()
    {
        using var dir = new TempDir();
        var stats = DatasetStats.Uniform(300, 30, folder: dir["ds"]);
        var set = ParameterCalculator.Calculate(stats, new CalculatorOptions { Profile = "dlas" });
        var written = ParameterOutputs.Write(set, dir["run"]);
        Assert.Null(written.DlasTrainList);
        var dlas = DlasTrainingYaml.Read(written.DlasConfig);
        Assert.Equal((Path.GetFullPath(stats.TrainListPath), Path.GetFullPath(stats.ValListPath!)), (dlas.TrainList, dlas.ValList));
    }
}
