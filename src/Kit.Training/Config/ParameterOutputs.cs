using Kit.Training.Parameters;

namespace Kit.Training.Config;

/// <summary>The files a parameter calculation leaves in a run folder.</summary>
public sealed record ParameterOutputs(string RunConfig, string DlasConfig, string? DlasTrainList, string? DlasValList)
{
    /// <summary>
    /// Writes <c>run.yml</c> (the kit's run config) and <c>dlas-gpt.yml</c> (for DLAS) into <paramref name="folder"/>.
    /// When the transcripts are known (they are in a dataset check's report), the DLAS config points at
    /// lists of exactly the usable clips of the calculated split (<c>dlas-train.txt</c>, <c>dlas-val.txt</c>),
    /// so DLAS trains on what the numbers were calculated for; otherwise at the dataset's own lists.
    /// </summary>
    public static ParameterOutputs Write(ParameterSet set, string folder, string? modelRecipe = null)
    {
        var dir = Path.GetFullPath(folder);
        Directory.CreateDirectory(dir);
        var runConfig = Path.Combine(dir, RunConfigFile.FileName);
        RunConfigFile.Write(Config.RunConfig.From(set, dir, modelRecipe), runConfig, set.Entries);

        string? train = null, val = null;
        string dlasTrain, dlasVal;
        if (set.TrainClips.Concat(set.ValClips).All(c => c.Text is not null))
        {
            (train, val) = SplitLists.Write(set, dir);
            (dlasTrain, dlasVal) = (train, val);
        }
        else if (set.ValidationSource == ValidationSource.Carved)
        {
            throw new ParameterException("the carved validation set cannot be written for DLAS without the clips' transcripts: calculate from the dataset check's report");
        }
        else
        {
            dlasTrain = Path.GetFullPath(set.Dataset.TrainListPath);
            dlasVal = set.ValidationSource == ValidationSource.SameAsTrain ? dlasTrain : Path.GetFullPath(set.Dataset.ValListPath!);
        }
        var dlas = Path.Combine(dir, DlasTrainingYaml.FileName);
        DlasTrainingYaml.Write(new DlasTrainingYaml.Inputs(set.Values, dlasTrain, dlasVal), dlas);
        return new ParameterOutputs(runConfig, dlas, train, val);
    }
}
