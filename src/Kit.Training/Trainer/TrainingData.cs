using Kit.Data.Datasets;
using Kit.Training.Config;
using Kit.Training.Parameters;

namespace Kit.Training.Trainer;

/// <summary>The training and validation entries a run config names.</summary>
public static class TrainingData
{
    public static (IReadOnlyList<DatasetEntry> Train, IReadOnlyList<DatasetEntry> Validation) Load(RunConfig config)
    {
        var train = Entries(config.TrainList);
        switch (config.Validation)
        {
            case ValidationSource.Carved:
                var held = config.CarvedValidation.ToHashSet(StringComparer.Ordinal);
                return (train.Where(e => !held.Contains(e.Audio)).ToList(), train.Where(e => held.Contains(e.Audio)).ToList());
            case ValidationSource.SameAsTrain:
                return (train, train);
            default:
                var val = config.ValList is { } v ? Entries(v) : throw new ArgumentException("the run config names no validation list (ValList)");
                return (train, val);
        }
    }

    private static IReadOnlyList<DatasetEntry> Entries(string list)
    {
        var entries = Dataset.Load(list).Entries.Where(e => File.Exists(e.AudioPath)).ToList();
        if (entries.Count == 0) throw new ArgumentException($"{list}: no usable clips (check the dataset with notebook 01 or `kit check`)");
        return entries;
    }
}
