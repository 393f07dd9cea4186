using Kit.Data.Datasets;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Loop;

/// <summary>The training and validation entries a run config names.</summary>
public static class TrainingData
{
    public static (IReadOnlyList<DatasetEntry> Train, IReadOnlyList<DatasetEntry> Validation) Load(RunConfig config)
    {
        var train = Entries(config, config.TrainList, "dataset.train_list");
        switch (config.Validation)
        {
            case ValidationSource.Carved:
                var held = config.CarvedValidation.ToHashSet(StringComparer.Ordinal);
                return (train.Where(e => !held.Contains(e.Audio)).ToList(), train.Where(e => held.Contains(e.Audio)).ToList());
            case ValidationSource.SameAsTrain:
                return (train, train);
            default:
                var val = config.ValList is { } v ? Entries(config, v, "dataset.val_list") : throw new ArgumentException("the run config names no validation list (ValList)");
                return (train, val);
        }
    }

    /// <summary>A list's usable clips; a list that cannot be read is the config's error, named by file, line and key.</summary>
    private static IReadOnlyList<DatasetEntry> Entries(RunConfig config, string list, string key)
    {
        var where = config.Source?.Where(key) ?? "";
        List<DatasetEntry> entries;
        try { entries = Dataset.Load(list).Entries.Where(e => File.Exists(e.AudioPath)).ToList(); }
        catch (DatasetLoadException e) { throw new ConfigFormatException($"{where}{e.Message}", e); }
        if (entries.Count == 0) throw new ConfigFormatException($"{where}{list}: no usable clips (check the dataset with notebook 01 or `kit check`)");
        return entries;
    }
}
